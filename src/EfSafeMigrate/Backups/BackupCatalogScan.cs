namespace EfSafeMigrate.Backups;

/// <summary>What <see cref="BackupCatalog.Scan"/> found in a backup folder.</summary>
/// <param name="Entries">Archives with a readable sidecar, newest first (by <see cref="BackupManifest.CreatedUtc"/>, then file name).</param>
/// <param name="Unreadable">Archives without a usable sidecar and sidecars without an archive, by file name; they are never pruned.</param>
internal sealed record BackupCatalogScan(IReadOnlyList<BackupEntry> Entries, IReadOnlyList<UnreadableBackup> Unreadable);
