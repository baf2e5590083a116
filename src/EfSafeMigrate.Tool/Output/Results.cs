using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Tool.Output;

/// <summary>A migration's state in <c>status</c>.</summary>
internal enum MigrationState
{
    /// <summary>Recorded in the history table and present in the code.</summary>
    Applied,
    /// <summary>In the code, not recorded.</summary>
    Pending,
    /// <summary>Recorded in the history table but absent from the code (e.g. from another branch).</summary>
    Unknown,
}

/// <summary>One migration in <c>status</c>.</summary>
/// <param name="Id">Migration id.</param>
/// <param name="Status">Its state.</param>
internal sealed record MigrationStatusEntry(string Id, MigrationState Status);

/// <summary>The result of <c>status</c>.</summary>
/// <param name="Context">Full name of the DbContext.</param>
/// <param name="Database">Database name.</param>
/// <param name="Migrations">Every migration known to the code or the history table, by id (oldest first).</param>
internal sealed record StatusResult(string Context, string Database, IReadOnlyList<MigrationStatusEntry> Migrations);

/// <summary>One step in <c>plan</c>.</summary>
/// <param name="Action">What happens to the migration.</param>
/// <param name="Migration">Migration id.</param>
/// <param name="Operations">One-line summary of the operations that run.</param>
internal sealed record PlanStepEntry(MigrationAction Action, string Migration, string Operations)
{
    /// <summary>Each operation that runs, with the PostgreSQL lock it takes, whether it rewrites or scans the table (see <c>lint</c>).</summary>
    public IReadOnlyList<EfSafeMigrate.Lint.OperationLock> OperationLocks { get; init; } = [];
}

/// <summary>The result of <c>plan</c>.</summary>
/// <param name="Target">The target migration id, or <c>0</c>.</param>
/// <param name="Steps">Steps in execution order.</param>
internal sealed record PlanResult(string Target, IReadOnlyList<PlanStepEntry> Steps);

/// <summary>One executed step in <c>apply</c> and <c>rollback</c>.</summary>
/// <param name="Action">What happened to the migration.</param>
/// <param name="Migration">Migration id.</param>
/// <param name="DurationMs">Duration in milliseconds.</param>
internal sealed record ExecutedStepEntry(MigrationAction Action, string Migration, long DurationMs);

/// <summary>The result of <c>apply</c> and <c>rollback --to</c>.</summary>
/// <param name="Database">Database name.</param>
/// <param name="Backup">Full path of the backup archive written first; null when none was.</param>
/// <param name="Steps">Executed steps, in order.</param>
/// <param name="CurrentMigration">The newest applied migration afterwards; null when none.</param>
/// <param name="DatabaseCreated">True when the database did not exist and the run created it (even with nothing to apply).</param>
internal sealed record ApplyResult(string Database, string? Backup, IReadOnlyList<ExecutedStepEntry> Steps, string? CurrentMigration, bool DatabaseCreated = false);

/// <summary>A backup in <c>--json</c> output: the sidecar manifest's fields plus the archive's full path.</summary>
/// <param name="Path">Full path of the archive.</param>
/// <param name="File">File name of the archive.</param>
/// <param name="Database">Database that was dumped.</param>
/// <param name="ServerVersion">Server version at dump time.</param>
/// <param name="HeadMigration">Last applied migration at dump time, or null.</param>
/// <param name="SizeBytes">Archive size in bytes.</param>
/// <param name="Sha256">SHA-256 of the archive, lower-case hex.</param>
/// <param name="ToolVersion">safe-migrate version that wrote it.</param>
/// <param name="CreatedUtc">When the dump started, UTC.</param>
/// <param name="Format">Archive format (<c>custom</c>).</param>
internal sealed record BackupResult(string Path, string File, string Database, string ServerVersion, string? HeadMigration, long SizeBytes, string Sha256, string ToolVersion, DateTimeOffset CreatedUtc, string Format)
{
    /// <summary>The result for a backup on disk.</summary>
    public static BackupResult From(EfSafeMigrate.Backups.BackupEntry entry)
    {
        var m = entry.Manifest;
        return new BackupResult(entry.Path, m.File, m.Database, m.ServerVersion, m.HeadMigration, m.SizeBytes, m.Sha256, m.ToolVersion, m.CreatedUtc, m.Format);
    }
}
