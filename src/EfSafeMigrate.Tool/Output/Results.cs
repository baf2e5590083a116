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

/// <summary>
/// One migration in <c>status</c>. The first four fields are <c>dotnet ef migrations list --json</c>'s, with the same
/// meaning; <see cref="Status"/> is ours.
/// </summary>
/// <param name="Id">Migration id (<c>20240101120000_AddBlogs</c>).</param>
/// <param name="Name">Its name: the id without the timestamp (EF Core's <c>IMigrationsIdGenerator.GetName</c>).</param>
/// <param name="SafeName">The name when no other migration in the list has it, otherwise the id (as <c>dotnet ef</c> computes it).</param>
/// <param name="Applied">True when the history table records it (also for <see cref="MigrationState.Unknown"/> ones).</param>
/// <param name="Status">Its state: applied, pending, or unknown (recorded but not in the code).</param>
internal sealed record MigrationStatusEntry(string Id, string Name, string SafeName, bool Applied, MigrationState Status);

/// <summary>The result of <c>status</c>.</summary>
/// <param name="Context">Full name of the DbContext.</param>
/// <param name="Database">Database name.</param>
/// <param name="Migrations">Every migration known to the code or the history table, by id (oldest first).</param>
internal sealed record StatusResult(string Context, string Database, IReadOnlyList<MigrationStatusEntry> Migrations)
{
    /// <summary>The entries of <c>status</c>, oldest first, with <c>dotnet ef migrations list</c>'s <c>safeName</c> rule.</summary>
    /// <param name="code">The migration ids in the code.</param>
    /// <param name="applied">The migration ids in the history table.</param>
    /// <param name="nameOf">The name of an id (EF Core's <c>IMigrationsIdGenerator.GetName</c>).</param>
    /// <returns>One entry per id in either set, ordered by id (ordinal).</returns>
    public static IReadOnlyList<MigrationStatusEntry> Entries(IReadOnlyCollection<string> code, IReadOnlySet<string> applied, Func<string, string> nameOf)
    {
        var ids = code.Union(applied).Order(StringComparer.Ordinal).ToList();
        var names = ids.ToDictionary(id => id, nameOf, StringComparer.Ordinal);
        var counts = names.Values.CountBy(n => n, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        return ids.Select(id => new MigrationStatusEntry(
                id,
                names[id],
                counts[names[id]] == 1 ? names[id] : id,
                applied.Contains(id),
                !code.Contains(id) ? MigrationState.Unknown : applied.Contains(id) ? MigrationState.Applied : MigrationState.Pending))
            .ToList();
    }
}

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

/// <summary>The result of <c>backup list</c>.</summary>
/// <param name="Folder">Full path of the backup folder.</param>
/// <param name="Backups">The backups in it, newest first.</param>
internal sealed record BackupListResult(string Folder, IReadOnlyList<BackupResult> Backups);

/// <summary>The result of <c>backup prune</c>.</summary>
/// <param name="Folder">Full path of the backup folder.</param>
/// <param name="Deleted">Full paths of the archives deleted (each with its sidecar).</param>
/// <param name="DeletedPartials">Full paths of the partial archives deleted (left by a backup that did not finish).</param>
/// <param name="KeptPartials">Full paths of the partial archives kept because a running backup is writing them.</param>
internal sealed record BackupPruneResult(string Folder, IReadOnlyList<string> Deleted, IReadOnlyList<string> DeletedPartials, IReadOnlyList<string> KeptPartials);

/// <summary>The result of <c>rollback --backup</c> and <c>backup restore</c>.</summary>
/// <param name="Database">The database restored into.</param>
/// <param name="Backup">Full path of the archive restored.</param>
/// <param name="BackupBefore">Full path of the backup of the database as it was before the restore; null when none was made (<c>--no-backup</c>, <c>--into</c>).</param>
/// <param name="CurrentMigration">The newest applied migration of the restored database; null when none.</param>
internal sealed record RestoreResult(string Database, string Backup, string? BackupBefore, string? CurrentMigration);

/// <summary>One integrity file in <c>hash</c>.</summary>
/// <param name="Path">Full path of the <c>safe-migrate.sum</c> file.</param>
/// <param name="Changed">True when it was written; false when its text was already up to date.</param>
/// <param name="Migrations">How many migrations it records.</param>
/// <param name="Heads">Its head migration ids, one per DbContext.</param>
/// <param name="Baselines">Its baseline migration ids (<c>hash --baseline</c>), one per DbContext that has one.</param>
internal sealed record SumFileResult(string Path, bool Changed, int Migrations, IReadOnlyList<string> Heads, IReadOnlyList<string> Baselines);

/// <summary>The result of <c>hash</c>.</summary>
/// <param name="Files">Each migrations folder's integrity file, in folder order.</param>
internal sealed record HashResult(IReadOnlyList<SumFileResult> Files);

/// <summary>The result of <c>script</c>.</summary>
/// <param name="From">The FROM argument as given (exclusive); null for an empty database.</param>
/// <param name="To">The TO argument as given (inclusive); null for the newest.</param>
/// <param name="Idempotent">True with <c>--idempotent</c>.</param>
/// <param name="Transactions">False with <c>--no-transactions</c>.</param>
/// <param name="Output">Full path of the file written with <c>-o</c>; null when the SQL is in <paramref name="Sql"/>.</param>
/// <param name="Sql">The script; null when it was written to <paramref name="Output"/>.</param>
internal sealed record ScriptResult(string? From, string? To, bool Idempotent, bool Transactions, string? Output, string? Sql);

/// <summary>A database left by an interrupted restore, in <c>backup cleanup</c>.</summary>
/// <param name="Name">Database name.</param>
/// <param name="Kind"><c>restore</c> (a half-restored copy) or <c>old</c> (the database as it was before the restore).</param>
/// <param name="Sessions">Sessions connected to it when it was found.</param>
internal sealed record LeftoverResult(string Name, string Kind, long Sessions);

/// <summary>The result of <c>backup cleanup</c>.</summary>
/// <param name="Database">The project's database.</param>
/// <param name="Found">The leftovers found before cleaning up (empty when there was nothing to do).</param>
/// <param name="Done">What was done, one sentence per database dropped or renamed, in order.</param>
internal sealed record BackupCleanupResult(string Database, IReadOnlyList<LeftoverResult> Found, IReadOnlyList<string> Done);
