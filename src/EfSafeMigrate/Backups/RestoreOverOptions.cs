namespace EfSafeMigrate.Backups;

/// <summary>How a restore over an existing database runs (see <c>PgDumpBackupProvider.ReplaceAsync</c>).</summary>
internal sealed record RestoreOverOptions
{
    /// <summary>How long to wait for the migration lock (the one <c>apply</c> holds). Default: 60 s.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Called once, with a description of the holder, when the lock is held by another session.</summary>
    public Action<string>? WaitingForLock { get; init; }

    /// <summary>
    /// Where to write a verified backup of the database as it is before the restore (so that the restore can be undone);
    /// <c>null</c> takes none (<c>--no-backup</c>). No backup is taken when the database does not exist.
    /// </summary>
    public string? BackupFolder { get; init; }

    /// <summary>The database's newest applied migration, recorded in the name and sidecar of that backup; <c>null</c> when none.</summary>
    public string? HeadMigration { get; init; }

    /// <summary>Called when a step starts (for progress output): "backup", "restore", "swap".</summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>What a restore over an existing database did.</summary>
/// <param name="BackupBefore">The verified backup of the database taken before it was replaced; <c>null</c> when none was taken.</param>
/// <param name="LeftOver">
/// The previous database under its <c>_old_</c> name when it could not be dropped after the swap (the restore is complete;
/// drop it by hand or with <c>backup cleanup</c>); <c>null</c> when it was dropped.
/// </param>
/// <param name="LeftOverReason">Why it could not be dropped; <c>null</c> when <paramref name="LeftOver"/> is null.</param>
internal sealed record RestoreOverResult(BackupEntry? BackupBefore, string? LeftOver, string? LeftOverReason);
