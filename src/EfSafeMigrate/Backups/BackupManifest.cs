namespace EfSafeMigrate.Backups;

/// <summary>
/// What is known about one backup archive; stored as a JSON sidecar next to it
/// (<c>&lt;archive&gt;.json</c>, camelCase properties).
/// </summary>
/// <param name="File">File name of the archive, without its folder (e.g. <c>shop_20261121_064501_20261121063000_AddTags.dump</c>).</param>
/// <param name="Database">Name of the database that was dumped.</param>
/// <param name="ServerVersion">Server version string as the server reports it (<c>SHOW server_version</c>).</param>
/// <param name="HeadMigration">The last applied migration id at backup time; <c>null</c> when no migration was applied.</param>
/// <param name="SizeBytes">Size of the archive in bytes.</param>
/// <param name="Sha256">SHA-256 of the archive, lower-case hex.</param>
/// <param name="ToolVersion">Version of safe-migrate that wrote the archive.</param>
/// <param name="CreatedUtc">When the dump started, UTC.</param>
/// <param name="Format">Archive format (<see cref="BackupStrategies"/>): <c>custom</c> for <c>pg_dump --format=custom</c> (one file),
/// <c>directory</c> for <c>pg_dump --format=directory</c> (a folder; <paramref name="SizeBytes"/> is the sum of its files' sizes and
/// <paramref name="Sha256"/> is <see cref="BackupHasher.ComputeFolderSha256Async"/>), <c>restore-point</c> for a restore point (no
/// archive; <paramref name="SizeBytes"/> is 0 and <paramref name="Sha256"/> is the SHA-256 of the restore point's name).</param>
/// <param name="RestorePoint">For <c>restore-point</c> backups, the point; null otherwise.</param>
/// <param name="PgBackRest">For <c>pgbackrest</c> backups (no archive here: <paramref name="SizeBytes"/> is 0, <paramref name="Sha256"/> the SHA-256 of the label), the backup in pgBackRest's repository; null otherwise.</param>
internal sealed record BackupManifest(
    string File,
    string Database,
    string ServerVersion,
    string? HeadMigration,
    long SizeBytes,
    string Sha256,
    string ToolVersion,
    DateTimeOffset CreatedUtc,
    string Format,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    RestorePointInfo? RestorePoint = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    PgBackRestBackupInfo? PgBackRest = null);
