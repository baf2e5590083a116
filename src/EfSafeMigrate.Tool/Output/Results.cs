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

/// <summary>One journal row in <c>history</c>.</summary>
/// <param name="Id">The journal row's id (increasing).</param>
/// <param name="Migration">Migration id.</param>
/// <param name="Action">What was done (<c>apply</c>, <c>revert</c>, <c>fake-apply</c>, <c>repair-...</c>, <c>rebase</c>; <c>JournalActions</c>).</param>
/// <param name="State">The migration's state now: applied, pending or unknown.</param>
/// <param name="StartedUtc">When it started, UTC.</param>
/// <param name="DurationMs">How long it took, in milliseconds.</param>
/// <param name="Checksum">SHA-256 of the migration's files as applied (lower-case hex), or null.</param>
/// <param name="Backup">Full path of the backup taken before the run, or null.</param>
/// <param name="ToolVersion">safe-migrate version that did it.</param>
/// <param name="User">The operating-system user.</param>
/// <param name="Host">The machine.</param>
/// <param name="DatabaseBytesBefore">Database size in bytes before the run, or null.</param>
/// <param name="DatabaseBytesAfter">Database size in bytes after the run, or null.</param>
/// <param name="Reason">The reason given (repair, rebase), or null.</param>
/// <param name="LintAllowances">The lint findings allowed for that run.</param>
internal sealed record HistoryRowResult(
    long Id, string Migration, string Action, string State, DateTime StartedUtc, long DurationMs, string? Checksum, string? Backup, string ToolVersion,
    string User, string Host, long? DatabaseBytesBefore, long? DatabaseBytesAfter, string? Reason, IReadOnlyList<string> LintAllowances);

/// <summary>The result of <c>history</c>.</summary>
/// <param name="Database">Database name.</param>
/// <param name="Rows">The journal rows, oldest first.</param>
internal sealed record HistoryResult(string Database, IReadOnlyList<HistoryRowResult> Rows);

/// <summary>The result of <c>repair</c>.</summary>
/// <param name="Database">Database name.</param>
/// <param name="Changes">One sentence per history row changed, in order.</param>
/// <param name="Backup">Full path of the archive of the history and journal tables taken first, or null when nothing changed.</param>
/// <param name="Notes">What else was checked.</param>
internal sealed record RepairJsonResult(string Database, IReadOnlyList<string> Changes, string? Backup, IReadOnlyList<string> Notes);

/// <summary>The files of <c>add</c> (written) and <c>remove</c> (deleted or rewritten), as EF Core's <c>MigrationFiles</c> names them.</summary>
/// <param name="MigrationFile">Full path of the migration file; null when none.</param>
/// <param name="MetadataFile">Full path of the designer file; null when none.</param>
/// <param name="SnapshotFile">Full path of the model snapshot; null when EF Core did not write it.</param>
internal sealed record MigrationFilesResult(string? MigrationFile, string? MetadataFile, string? SnapshotFile);

/// <summary>The result of <c>squash FROM TO</c>.</summary>
/// <param name="Id">The squashed migration's id.</param>
/// <param name="MigrationFile">Full path of its file.</param>
/// <param name="MetadataFile">Full path of its designer file.</param>
/// <param name="Replaces">The migrations it replaces, oldest first.</param>
/// <param name="BuiltFrom"><c>models</c> (EF Core's model differ) or <c>operations</c> (the migrations' own operations in order).</param>
/// <param name="Proven">True: proven schema-identical to the originals before anything was written.</param>
internal sealed record SquashResult(string Id, string MigrationFile, string MetadataFile, IReadOnlyList<string> Replaces, string BuiltFrom, bool Proven);

/// <summary>One squash in <c>squash --finalize</c>.</summary>
/// <param name="Squash">The squashed migration's id.</param>
/// <param name="Deleted">Full paths of the files deleted.</param>
internal sealed record FinalizedSquashResult(string Squash, IReadOnlyList<string> Deleted);

/// <summary>The result of <c>squash --finalize</c>.</summary>
/// <param name="Finalized">Each squash whose replaced migrations were deleted.</param>
internal sealed record FinalizeResult(IReadOnlyList<FinalizedSquashResult> Finalized);

/// <summary>The result of <c>merge</c> when it wrote a merge migration.</summary>
/// <param name="Merged">Always true.</param>
/// <param name="Context">The DbContext's short name.</param>
/// <param name="MigrationId">The merge migration's id.</param>
/// <param name="Parents">The two heads it follows, in order.</param>
/// <param name="CommonAncestor">The migration both branches started from, or null.</param>
/// <param name="MigrationFile">Full path of the migration file.</param>
/// <param name="MetadataFile">Full path of the designer file.</param>
/// <param name="SnapshotFile">Full path of the regenerated model snapshot.</param>
/// <param name="SumFile">Full path of the updated <c>safe-migrate.sum</c>.</param>
internal sealed record MergeResult(bool Merged, string Context, string MigrationId, IReadOnlyList<string> Parents, string? CommonAncestor, string? MigrationFile, string? MetadataFile, string? SnapshotFile, string SumFile);

/// <summary>One table, column, key, index or foreign key both branches changed, in a refused <c>merge</c>.</summary>
/// <param name="Object">The object.</param>
/// <param name="MigrationA">Branch A's migration that changed it.</param>
/// <param name="OperationA">Its operation.</param>
/// <param name="MigrationB">Branch B's migration that changed it.</param>
/// <param name="OperationB">Its operation.</param>
internal sealed record SharedObjectResult(string Object, string MigrationA, string OperationA, string MigrationB, string OperationB);

/// <summary>The result of a refused <c>merge</c> (exit 1).</summary>
/// <param name="Merged">Always false.</param>
/// <param name="Context">The DbContext's short name.</param>
/// <param name="CommonAncestor">The migration both branches started from, or null.</param>
/// <param name="Heads">The two heads.</param>
/// <param name="SharedObjects">The objects both branches changed.</param>
/// <param name="ExtraChanges">Changes of the code model that neither branch's migrations make.</param>
/// <param name="MissingFromBranchA">Changes of branch A's migrations the code model does not have.</param>
/// <param name="MissingFromBranchB">Changes of branch B's migrations the code model does not have.</param>
/// <param name="OtherDifferences">Other differences between the code model and both branches together.</param>
internal sealed record MergeRefusedResult(
    bool Merged, string Context, string? CommonAncestor, IReadOnlyList<string> Heads, IReadOnlyList<SharedObjectResult> SharedObjects,
    IReadOnlyList<string> ExtraChanges, IReadOnlyList<string> MissingFromBranchA, IReadOnlyList<string> MissingFromBranchB, IReadOnlyList<string> OtherDifferences);

/// <summary>The result of <c>merge</c> when each DbContext has one head.</summary>
/// <param name="Merged">Always false.</param>
/// <param name="Reason"><c>nothing to merge</c>.</param>
internal sealed record NothingToMergeResult(bool Merged, string Reason);

/// <summary>The result of <c>merge --rebase</c>.</summary>
/// <param name="Rebased">Always true.</param>
/// <param name="Context">The DbContext's short name.</param>
/// <param name="OldMigrationId">The moved migration's id before.</param>
/// <param name="MigrationId">Its new id.</param>
/// <param name="Parent">The other branch's head, which it now follows.</param>
/// <param name="CommonAncestor">The migration both branches started from, or null.</param>
/// <param name="DeletedFiles">Full paths of its old files, deleted after the new ones were written.</param>
/// <param name="MigrationFile">Full path of the new migration file.</param>
/// <param name="MetadataFile">Full path of the new designer file.</param>
/// <param name="SnapshotFile">Full path of the model snapshot.</param>
/// <param name="SumFile">Full path of the updated <c>safe-migrate.sum</c>.</param>
/// <param name="HistoryRenamed">With <c>--connection</c>: true when the database's history row was renamed to the new id.</param>
/// <param name="JournalRecorded">With <c>--connection</c>: true when a <c>rebase</c> journal row was written.</param>
/// <param name="KeptOperations">The hand-written operations kept in their order and place.</param>
internal sealed record RebaseResult(
    bool Rebased, string Context, string OldMigrationId, string MigrationId, string Parent, string? CommonAncestor, IReadOnlyList<string> DeletedFiles,
    string? MigrationFile, string? MetadataFile, string? SnapshotFile, string SumFile, bool HistoryRenamed, bool JournalRecorded, IReadOnlyList<string> KeptOperations);

/// <summary>One object that differs, in <c>verify</c>.</summary>
/// <param name="Object">Its catalog key, e.g. <c>column public."Customers"."Email"</c>.</param>
/// <param name="Kind">Its kind (table, column, index, constraint, sequence, type, view, function, trigger, ...).</param>
/// <param name="Change"><c>missing</c>, <c>extra</c> or <c>different</c>.</param>
/// <param name="Expected">Its definition as the migrations give it, or null.</param>
/// <param name="Actual">Its definition in the database, or null.</param>
/// <param name="Migration">The migration that created (or last changed) it, when known.</param>
internal sealed record DriftEntryResult(string Object, string Kind, string Change, string? Expected, string? Actual, string? Migration);

/// <summary>The result of <c>verify</c>.</summary>
/// <param name="Database">Database name.</param>
/// <param name="Migrations">The database's applied migrations, in its history's order.</param>
/// <param name="UnknownMigrations">Applied migrations the code does not have.</param>
/// <param name="Drift">Modeled objects that differ: drift.</param>
/// <param name="Unmodeled">Views, functions and triggers that differ: not drift.</param>
internal sealed record VerifyResult(string Database, IReadOnlyList<string> Migrations, IReadOnlyList<string> UnknownMigrations, IReadOnlyList<DriftEntryResult> Drift, IReadOnlyList<DriftEntryResult> Unmodeled);

/// <summary>A table lock seen during a rehearsed migration.</summary>
/// <param name="Table">The table, <c>schema.table</c>.</param>
/// <param name="Mode">PostgreSQL's lock mode as <c>pg_locks</c> names it, e.g. <c>AccessExclusiveLock</c>.</param>
/// <param name="WaitedMs">The longest wait seen, in milliseconds.</param>
internal sealed record RehearsalLockResult(string Table, string Mode, long WaitedMs);

/// <summary>A table a rehearsed migration touched, with its size.</summary>
/// <param name="Table">The table, <c>schema.table</c>.</param>
/// <param name="BytesBefore">Heap, indexes and TOAST in bytes before; null when it did not exist.</param>
/// <param name="BytesAfter">The same after; null when it no longer exists.</param>
internal sealed record RehearsalTableResult(string Table, long? BytesBefore, long? BytesAfter);

/// <summary>How the schema after a <c>Down</c> differs from the one before its <c>Up</c>.</summary>
/// <param name="Object">The catalog object.</param>
/// <param name="BeforeUp">Its definition before <c>Up</c>, or null.</param>
/// <param name="AfterDown">Its definition after <c>Down</c>, or null.</param>
internal sealed record RoundTripDifferenceResult(string Object, string? BeforeUp, string? AfterDown);

/// <summary>One migration in <c>rehearse</c>.</summary>
/// <param name="Id">Migration id.</param>
/// <param name="DurationMs">How long its <c>Up</c> took, in milliseconds; null when it was not run.</param>
/// <param name="Error">Why its <c>Up</c> failed, or null.</param>
/// <param name="Locks">The table locks seen while it ran.</param>
/// <param name="Tables">The tables it touched, with their sizes.</param>
/// <param name="Lint">The lint pre-flight's errors and warnings (<c>CODE severity: message</c>).</param>
/// <param name="RoundTrip"><c>ok</c>, <c>different</c>, <c>failed</c> or <c>skipped</c>.</param>
/// <param name="RoundTripError">Why its <c>Down</c> failed, or null.</param>
/// <param name="RoundTripDifferences">How the schema after its <c>Down</c> differs from the one before its <c>Up</c>.</param>
internal sealed record RehearsedMigrationResult(
    string Id, long? DurationMs, string? Error, IReadOnlyList<RehearsalLockResult> Locks, IReadOnlyList<RehearsalTableResult> Tables, IReadOnlyList<string> Lint,
    string RoundTrip, string? RoundTripError, IReadOnlyList<RoundTripDifferenceResult> RoundTripDifferences);

/// <summary>The result of <c>rehearse</c>.</summary>
/// <param name="Database">The project's database (never changed).</param>
/// <param name="Copy">The scratch copy's name.</param>
/// <param name="CopyMethod"><c>template</c>, <c>backup</c> or <c>from-backup</c>.</param>
/// <param name="CopyMs">How long making the copy took, in milliseconds.</param>
/// <param name="Kept">True when the copy was kept (<c>--keep</c>).</param>
/// <param name="RoundTrip">False with <c>--no-roundtrip</c>.</param>
/// <param name="Succeeded">True when every migration applied, round-tripped (unless skipped) and re-applied.</param>
/// <param name="TotalMs">The whole rehearsal, in milliseconds.</param>
/// <param name="ReapplyError">Why re-applying after the round trip failed, or null.</param>
/// <param name="Migrations">The migrations rehearsed, in the order applied.</param>
internal sealed record RehearseResult(
    string Database, string Copy, string CopyMethod, long CopyMs, bool Kept, bool RoundTrip, bool Succeeded, long TotalMs, string? ReapplyError,
    IReadOnlyList<RehearsedMigrationResult> Migrations);

/// <summary>The result of <c>merge --rebase</c> without a migration name: a whole branch moved.</summary>
/// <param name="Rebased">True.</param>
/// <param name="Context">The DbContext's short name.</param>
/// <param name="Parent">The other branch's head, which the first moved migration now follows.</param>
/// <param name="CommonAncestor">The migration both branches started from.</param>
/// <param name="Onto">The git revision the other branch's migrations were read from (<c>--onto</c>, <c>MERGE_HEAD</c> or <c>HEAD^2</c>).</param>
/// <param name="Migrations">The moved migrations, oldest first.</param>
/// <param name="DeletedFiles">Full paths of the old files, deleted after the new ones were written.</param>
/// <param name="SnapshotFile">Full path of the model snapshot.</param>
/// <param name="SumFile">Full path of the updated <c>safe-migrate.sum</c>.</param>
/// <param name="JournalRecorded">With <c>--connection</c>: true when <c>rebase</c> journal rows were written.</param>
internal sealed record BranchRebaseResult(
    bool Rebased, string Context, string Parent, string CommonAncestor, string Onto, IReadOnlyList<RebasedMigrationResult> Migrations,
    IReadOnlyList<string> DeletedFiles, string? SnapshotFile, string SumFile, bool JournalRecorded);

/// <summary>One migration moved by <c>merge --rebase</c> of a whole branch.</summary>
/// <param name="OldMigrationId">Its id before.</param>
/// <param name="MigrationId">Its new id.</param>
/// <param name="Parent">The migration it now follows.</param>
/// <param name="MigrationFile">Full path of its new migration file.</param>
/// <param name="MetadataFile">Full path of its new designer file.</param>
/// <param name="HistoryRenamed">With <c>--connection</c>: true when the database's history row was renamed to the new id.</param>
/// <param name="KeptOperations">Its hand-written operations kept in their order and place.</param>
internal sealed record RebasedMigrationResult(
    string OldMigrationId, string MigrationId, string Parent, string? MigrationFile, string? MetadataFile, bool HistoryRenamed, IReadOnlyList<string> KeptOperations);
