using System.Globalization;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Schema;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Integrity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>The three kinds of <c>repair</c>.</summary>
internal enum RepairMode
{
    /// <summary><c>--remove-unknown</c>: delete history rows of migrations the code does not have.</summary>
    RemoveUnknown,

    /// <summary><c>--mark-applied ID</c>: insert a history row without running Up.</summary>
    MarkApplied,

    /// <summary><c>--mark-pending ID</c>: delete a history row without running Down.</summary>
    MarkPending,
}

/// <summary>What <c>repair</c> was asked to do.</summary>
/// <param name="Mode">The kind of repair.</param>
/// <param name="Migration">The migration of <see cref="RepairMode.MarkApplied"/>/<see cref="RepairMode.MarkPending"/> (id or name); null for <see cref="RepairMode.RemoveUnknown"/>.</param>
/// <param name="Reason">Why (journaled with each changed row).</param>
/// <param name="BackupFolder">Where the backup of the history and journal tables is written.</param>
/// <param name="LockTimeout">How long to wait for the migration lock.</param>
internal sealed record RepairRequest(RepairMode Mode, string? Migration, string Reason, string BackupFolder, TimeSpan LockTimeout);

/// <summary>What a repair changed.</summary>
/// <param name="Changes">One line per history row inserted or deleted; empty when there was nothing to repair.</param>
/// <param name="Backup">The archive of the history and journal tables written first; null when nothing changed.</param>
/// <param name="Notes">What the repair found worth knowing (e.g. objects unknown migrations may have created).</param>
internal sealed record RepairResult(IReadOnlyList<string> Changes, string? Backup, IReadOnlyList<string> Notes);

/// <summary>
/// <c>repair</c>, the safe "migration state reset": changes rows of EF Core's history table only (through EF Core's history
/// repository scripts), never a user table. Under the migration lock it first checks the change against the live schema
/// (the schema the migrations give, built on a throwaway database as <c>verify</c> does: marking a migration applied needs
/// every object it creates or changes to be in the database as it makes them; marking it pending needs them to be as they
/// were before it), then writes a <c>pg_dump</c> archive of the history and journal tables, then changes the rows and writes
/// one journal row per changed row with the reason, in one transaction.
/// </summary>
internal sealed class RepairOperations
{
    private readonly ProjectSession _session;
    private readonly string? _contextName;

    /// <summary>Creates the operations for an opened project.</summary>
    public RepairOperations(ProjectSession session, string? contextName)
    {
        _session = session;
        _contextName = contextName;
    }

    /// <summary>Repairs; see the class summary.</summary>
    /// <exception cref="CommandException">Unknown migration (2), nothing to mark, or the schema contradicts the change (1), backup failed (4).</exception>
    public async Task<RepairResult> RunAsync(RepairRequest request, CancellationToken cancellationToken)
    {
        var context = _session.Context;
        var migrator = _session.Migrator;
        var database = _session.Database.Describe();
        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var held = await _session.Database.CreateLock().AcquireAsync(request.LockTimeout, _session.Reporter.Info, cancellationToken);
            var applied = migrator.GetAppliedMigrations();
            var code = migrator.AllMigrations;
            var notes = new List<string>();
            var ids = new List<string>();
            switch (request.Mode)
            {
                case RepairMode.RemoveUnknown:
                    ids.AddRange(applied.Where(id => !code.Contains(id)));
                    if (ids.Count > 0)
                    {
                        var (report, _) = SchemaVerification.Run(_session, _contextName);
                        notes.Add(report.Drift.Any(d => d.Change == DriftChange.Extra)
                            ? "Objects in the database that no migration of the code creates (possibly made by the removed migrations; they stay): " +
                              string.Join("; ", report.Drift.Concat(report.Unmodeled).Where(d => d.Change == DriftChange.Extra).Select(d => d.Object))
                            : "No object in the database is unexplained by the code's migrations: the removed migrations left no schema objects behind.");
                    }

                    break;
                case RepairMode.MarkApplied:
                {
                    var id = Resolve(request.Migration!);
                    if (applied.Contains(id))
                    {
                        throw new CommandException(ExitCodes.ProblemsFound, $"Migration '{id}' is already applied to {database}; nothing was changed.");
                    }

                    var order = code.Where(c => c == id || applied.Contains(c)).ToList();
                    CheckSchema(id, order, expectAfter: true, database);
                    ids.Add(id);
                    break;
                }

                default:
                {
                    var id = Resolve(request.Migration!);
                    if (!applied.Contains(id))
                    {
                        throw new CommandException(ExitCodes.ProblemsFound, $"Migration '{id}' is not applied to {database}; nothing was changed.");
                    }

                    CheckSchema(id, applied.Where(code.Contains).ToList(), expectAfter: false, database);
                    ids.Add(id);
                    break;
                }
            }

            if (ids.Count == 0)
            {
                return new RepairResult([], null, ["The history has no migration the code does not have: nothing to repair."]);
            }

            var backup = await BackupHistoryAsync(request.BackupFolder, cancellationToken);
            var changes = Change(request, ids, backup);
            return new RepairResult(changes, backup, notes);
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }

    private string Resolve(string migration)
    {
        try
        {
            return _session.Migrator.ResolveTarget(migration);
        }
        catch (Exception ex) when (ex is Execution.MigrationNotFoundException or Squashing.SquashedAwayMigrationException)
        {
            throw new CommandException(ExitCodes.UsageError, ex.Message, ex);
        }
    }

    // Marking applied: every object the migration changes must be in the database as the migration leaves it.
    // Marking pending: as it was before the migration.
    private void CheckSchema(string id, IReadOnlyList<string> order, bool expectAfter, string database)
    {
        var expected = SchemaVerification.Build(_session, _contextName, "repair", order);
        var connectionString = SchemaVerification.ConnectionString(_session);
        var live = new NpgsqlScratchDatabaseServer(connectionString).ReadCatalog(connectionString, BookkeepingTables.For(_session.Context));
        var contradictions = expected.ChangesOf(id)
            .Where(c => !string.Equals(live.Objects.GetValueOrDefault(c.Object), expectAfter ? c.Right : c.Left, StringComparison.Ordinal))
            .Select(c => expectAfter
                ? $"  {c.Object}: the migration {(c.Right is null ? "drops it" : $"makes it {c.Right}")}; the database has {(live.Objects.GetValueOrDefault(c.Object) ?? "no such object")}"
                : $"  {c.Object}: before the migration it {(c.Left is null ? "does not exist" : $"is {c.Left}")}; the database has {(live.Objects.GetValueOrDefault(c.Object) ?? "no such object")}")
            .ToList();
        if (contradictions.Count > 0)
        {
            throw new CommandException(ExitCodes.ProblemsFound, string.Join(Environment.NewLine,
            [
                $"Refusing to mark '{id}' as {(expectAfter ? "applied" : "pending")}: the schema of {database} contradicts it ({contradictions.Count} object(s)):",
                .. contradictions,
                expectAfter
                    ? $"Apply it instead (dotnet safe-migrate apply {id}), or bring the schema in line first ('dotnet safe-migrate verify' shows the drift)."
                    : $"Revert it instead (dotnet safe-migrate rollback --to <the migration before it>), or bring the schema in line first ('dotnet safe-migrate verify' shows the drift).",
                "Nothing was changed.",
            ]));
        }
    }

    private async Task<string> BackupHistoryAsync(string folder, CancellationToken cancellationToken)
    {
        var context = _session.Context;
        var sql = context.GetService<Microsoft.EntityFrameworkCore.Storage.ISqlGenerationHelper>();
        var historyTable = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
        var history = sql.DelimitIdentifier(historyTable.MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName, historyTable.MigrationsHistoryTableSchema);
        var journal = JournalTable.For(context).Delimited(sql);
        var tools = new PgTools();
        var pgDump = tools.Find(PgTools.PgDump) ?? throw new CommandException(ExitCodes.BackupFailed, $"pg_dump was not found ({tools.DescribeSearch()}); the history and journal tables are backed up before a repair. Nothing was changed.");
        PrivateFiles.EnsureFolder(folder);
        var connection = _session.Database.Connection;
        var path = Path.Combine(folder, $"{connection.Database}_{DateTime.UtcNow.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture)}_repair-history.dump");
        using (PrivateFiles.CreateNew(path))
        {
        }

        var result = await tools.RunAsync(pgDump, ["--format=custom", "--no-password", "--table=" + history, "--table=" + journal, "--file=" + path], connection.LibpqEnvironment(), cancellationToken);
        if (result.ExitCode != 0)
        {
            PrivateFiles.TryDelete(path);
            throw new CommandException(ExitCodes.BackupFailed, $"Backing up the history and journal tables of {_session.Database.Describe()} failed (pg_dump exit {result.ExitCode}): {result.StandardError.Trim()} Nothing was changed.");
        }

        return path;
    }

    private List<string> Change(RepairRequest request, IReadOnlyList<string> ids, string backup)
    {
        var context = _session.Context;
        var history = context.GetService<IHistoryRepository>();
        var journal = new JournalRecorder(context, _session.Database.CreateJournalProbe(), ToolInfo.Version);
        journal.EnsureCreated();
        var checksums = request.Mode == RepairMode.MarkApplied ? Checksums() : new Dictionary<string, string>();
        var changes = new List<string>();
        using var transaction = context.Database.BeginTransaction();
        foreach (var id in ids)
        {
            var started = DateTime.UtcNow;
            if (request.Mode == RepairMode.MarkApplied)
            {
                context.Database.ExecuteSqlRaw(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())));
                journal.Record(id, JournalActions.RepairMarkApplied, checksums.GetValueOrDefault(id), started, TimeSpan.Zero, backup, request.Reason);
                changes.Add($"inserted history row '{id}' (marked applied; its Up did not run)");
            }
            else
            {
                context.Database.ExecuteSqlRaw(history.GetDeleteScript(id));
                journal.Record(id, request.Mode == RepairMode.RemoveUnknown ? JournalActions.RepairRemoveUnknown : JournalActions.RepairMarkPending, null, started, TimeSpan.Zero, backup, request.Reason);
                changes.Add(request.Mode == RepairMode.RemoveUnknown
                    ? $"deleted history row '{id}' (a migration the code does not have)"
                    : $"deleted history row '{id}' (marked pending; its Down did not run)");
            }
        }

        transaction.Commit();
        return changes;
    }

    private IReadOnlyDictionary<string, string> Checksums()
    {
        try
        {
            return MigrationSourceHashes.Read(_session.ProjectDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandException)
        {
            return new Dictionary<string, string>();
        }
    }
}
