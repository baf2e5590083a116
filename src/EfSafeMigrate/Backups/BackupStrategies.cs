namespace EfSafeMigrate.Backups;

/// <summary>
/// The names of the backup strategies (<c>--backup-strategy</c>, <c>backup.strategy</c>) and of the formats their
/// catalogue entries record (<see cref="BackupManifest.Format"/>), with what retention may delete.
/// </summary>
internal static class BackupStrategies
{
    /// <summary><c>pg_dump --format=custom</c> into one file (the default).</summary>
    public const string PgDump = "pgdump";

    /// <summary><c>pg_dump --format=directory --jobs=N</c> into a folder, restored with <c>pg_restore --jobs=N</c>.</summary>
    public const string PgDumpParallel = "pgdump-parallel";

    /// <summary>A named restore point (<c>pg_create_restore_point</c>) on a server with WAL archiving; restoring it is point-in-time recovery.</summary>
    public const string RestorePoint = "restore-point";

    /// <summary>An incremental pgBackRest backup of a configured stanza (full when there is none yet).</summary>
    public const string PgBackRest = "pgbackrest";

    /// <summary>Every strategy, in the order the help and the documentation list them.</summary>
    public static readonly IReadOnlyList<string> All = [PgDump, PgDumpParallel, RestorePoint, PgBackRest];

    /// <summary><see cref="BackupManifest.Format"/> of a <c>pg_dump --format=custom</c> archive (one file).</summary>
    public const string CustomFormat = "custom";

    /// <summary><see cref="BackupManifest.Format"/> of a <c>pg_dump --format=directory</c> archive (a folder).</summary>
    public const string DirectoryFormat = "directory";

    /// <summary><see cref="BackupManifest.Format"/> of a restore point: the sidecar is the whole entry, the data is in the server's WAL archive.</summary>
    public const string RestorePointFormat = "restore-point";

    /// <summary><see cref="BackupManifest.Format"/> of a pgBackRest backup: the sidecar is the whole entry, the backup is in pgBackRest's repository.</summary>
    public const string PgBackRestFormat = "pgbackrest";

    /// <summary>Whether entries of <paramref name="format"/> are a sidecar only (<c>&lt;name&gt;&lt;extension&gt;.json</c>), their data kept by the server or another tool.</summary>
    public static bool IsRecordOnly(string format) => format is RestorePointFormat or PgBackRestFormat;

    /// <summary>
    /// Whether retention (<see cref="BackupCatalog.Prune"/>) may delete backups of this format: archives that are files or
    /// folders safe-migrate wrote (custom and directory dumps). A restore point or a pgBackRest backup is never deleted: its
    /// sidecar only names a point in the server's WAL archive or a backup in pgBackRest's repository, whose retention
    /// (the DBA's, <c>repo1-retention-*</c>) owns them.
    /// </summary>
    public static bool IsDeletable(string format) => format is CustomFormat or DirectoryFormat;

    /// <summary>The strategy that writes <paramref name="format"/>, for messages.</summary>
    public static string ForFormat(string format) => format switch
    {
        DirectoryFormat => PgDumpParallel,
        RestorePointFormat => RestorePoint,
        PgBackRestFormat => PgBackRest,
        _ => PgDump,
    };
}
