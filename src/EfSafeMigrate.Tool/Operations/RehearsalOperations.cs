using System.Diagnostics;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Npgsql.Journal;
using EfSafeMigrate.Npgsql.Locking;
using EfSafeMigrate.Npgsql.Rehearsal;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Rehearsal;
using EfSafeMigrate.Schema;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Linting;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>What <c>rehearse</c> was asked to do.</summary>
/// <param name="Target">The migration to rehearse up to (null: every pending one).</param>
/// <param name="FromBackup">An existing backup archive to restore into the copy instead of copying the database.</param>
/// <param name="Keep">Keep the copy at the end (<c>--keep</c>).</param>
/// <param name="RoundTrip">Revert, compare and re-apply (false with <c>--no-roundtrip</c>).</param>
/// <param name="LockTimeout">How long to wait for the migration lock on the copy, and pg_dump's lock wait for a fresh backup.</param>
/// <param name="DdlLockTimeout">PostgreSQL lock_timeout of each migration, as <c>apply</c> sets it.</param>
/// <param name="DdlLockRetries">Retries after a lock timeout, as <c>apply</c>.</param>
internal sealed record RehearsalRequest(string? Target, string? FromBackup, bool Keep, bool RoundTrip, TimeSpan LockTimeout, TimeSpan DdlLockTimeout, int DdlLockRetries);

/// <summary>
/// <c>rehearse</c>: the pending migrations (or up to TARGET) applied to a scratch copy of the project's database exactly as
/// <c>apply</c> applies them (the lint pre-flight against the real table sizes reported but not blocking; <see cref="PlanRunner"/>, the migration lock, lock_timeout with retries, the journal on the copy;
/// no backup of the copy), one migration per run so that each is measured apart: duration, the table locks seen in
/// <c>pg_locks</c> (<see cref="PgLockSampler"/>), the size of each touched table before and after. Then the round trip: each
/// migration's Down in reverse order, the catalog after each compared with the one before its Up, and everything re-applied.
/// The copy (<see cref="PgRehearsalDatabases"/>) is dropped at the end, also on failure and on SIGINT/SIGTERM, unless kept;
/// copies left by a killed rehearsal are dropped first. The project's database is only read (and, for a template copy,
/// briefly used as a template while no other session is connected; while PostgreSQL copies, new connections to it wait).
/// </summary>
internal sealed class RehearsalOperations
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(5);

    private readonly ProjectSession _session;
    private readonly string? _contextName;
    private readonly Reporter _reporter;

    /// <summary>Creates the operations for an opened project.</summary>
    /// <param name="session">The project.</param>
    /// <param name="contextName">The <c>--context</c> option, to create the same DbContext on the copy.</param>
    public RehearsalOperations(ProjectSession session, string? contextName)
    {
        _session = session;
        _contextName = contextName;
        _reporter = session.Reporter;
    }

    /// <summary>
    /// The rehearsal copies of the session's database that no session uses (left by a killed rehearsal, or kept), for
    /// <c>status</c> to name; empty when they cannot be listed.
    /// </summary>
    public static IReadOnlyList<string> Leftovers(ProjectSession session)
    {
        try
        {
            var copies = new PgRehearsalDatabases(SchemaVerification.ConnectionString(session));
            return DatabaseServices.ReadSharedCatalogs(session.Context, copies.Leftovers, copies.Leftovers);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Drops the leftover copies (<see cref="Leftovers"/>) and says so.</summary>
    public void DropLeftovers()
    {
        var copies = new PgRehearsalDatabases(SchemaVerification.ConnectionString(_session));
        foreach (var leftover in copies.Leftovers())
        {
            copies.Drop(leftover);
            _reporter.Info($"Dropped \"{leftover}\", a rehearsal copy left by an earlier rehearse that was stopped or kept.");
        }
    }

    /// <summary>Rehearses; see the class summary.</summary>
    /// <exception cref="CommandException">The plan reverts migrations (2), the copy cannot be made (4), or bad options.</exception>
    /// <exception cref="OperationCanceledException">Interrupted; the copy was dropped (unless kept).</exception>
    public async Task<RehearsalReport> RunAsync(RehearsalRequest request, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var sourceConnection = SchemaVerification.ConnectionString(_session);
        var copies = new PgRehearsalDatabases(sourceConnection);
        DropLeftovers();

        var applied = _session.Migrator.GetAppliedMigrations();
        var plan = _session.Migrator.Plan(request.Target);
        if (plan.Steps.Any(s => s.IsRevert))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"'{request.Target}' is before the database's current migration: rehearse rehearses applying pending migrations. To rehearse a rollback, restore a backup that is at the later migration with --from-backup and rehearse from there.");
        }

        var ids = plan.Steps.Select(s => s.MigrationId).ToList();
        var name = copies.NameFor(DateTime.UtcNow);
        if (ids.Count == 0)
        {
            _reporter.Info($"Nothing to rehearse: {_session.Database.Describe()} has no pending migration{(request.Target is null ? string.Empty : $" up to '{request.Target}'")}.");
            return new RehearsalReport(copies.Source, name, RehearsalCopyMethods.Template, 0, false, request.RoundTrip, [], null, total.ElapsedMilliseconds);
        }

        var lint = LintPreflight(ids);

        // A template copy needs the source without sessions: ours included (pooled idle connections count).
        await _session.Context.Database.CloseConnectionAsync();
        NpgsqlConnection.ClearAllPools();

        string? temporaryFolder = null;
        var created = false;
        try
        {
            var copyWatch = Stopwatch.StartNew();
            string method;
            if (request.FromBackup is { } file)
            {
                var backup = OpenBackup(file);
                _reporter.Info($"Restoring {backup.Path} into the scratch copy \"{name}\" ...");
                created = true;
                await _session.Database.CreateBackupProvider(request.LockTimeout).RestoreAsync(backup, name, cancellationToken);
                method = RehearsalCopyMethods.FromBackup;
            }
            else if (copies.TryCopyByTemplate(name) is { } why)
            {
                _reporter.Info($"Cannot copy \"{copies.Source}\" as a template ({why}): taking a fresh verified backup and restoring it into \"{name}\" instead.");
                temporaryFolder = Path.Combine(Path.GetTempPath(), "safe-migrate-rehearsal-" + Guid.NewGuid().ToString("N")[..12]);
                var provider = _session.Database.CreateBackupProvider(request.LockTimeout);
                var backup = await provider.CreateAsync(temporaryFolder, applied.Count == 0 ? null : applied[^1], cancellationToken);
                created = true;
                await provider.RestoreAsync(backup, name, cancellationToken);
                method = RehearsalCopyMethods.Backup;
            }
            else
            {
                created = true;
                method = RehearsalCopyMethods.Template;
            }

            var copyMs = copyWatch.ElapsedMilliseconds;
            _reporter.Info($"Scratch copy \"{name}\" made by {method} in {copyMs} ms{(request.Keep ? " (kept at the end: --keep)" : " (dropped at the end)")}.");
            var (migrations, reapplyError) = await RehearseOnCopyAsync(copies.ConnectionStringFor(name), applied, ids, request, cancellationToken);
            migrations = migrations.Select(m => m with { Lint = lint.GetValueOrDefault(m.Id, []) }).ToList();
            return new RehearsalReport(copies.Source, name, method, copyMs, request.Keep, request.RoundTrip, migrations, reapplyError, total.ElapsedMilliseconds);
        }
        catch (BackupException ex)
        {
            throw new CommandException(ExitCodes.BackupFailed, $"Could not make the scratch copy \"{name}\" of {_session.Database.Describe()}: {ex.Message} Nothing was changed.", ex);
        }
        finally
        {
            if (created && !request.Keep)
            {
                try
                {
                    NpgsqlConnection.ClearAllPools();
                    copies.Drop(name);
                    _reporter.Detail($"Dropped the scratch copy \"{name}\".");
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
                {
                    _reporter.Warning($"Could not drop the scratch copy \"{name}\" ({ex.Message}); the next 'dotnet safe-migrate rehearse' drops it, or: DROP DATABASE \"{name}\" WITH (FORCE);");
                }
            }

            if (temporaryFolder is not null && Directory.Exists(temporaryFolder))
            {
                Directory.Delete(temporaryFolder, recursive: true);
            }
        }
    }

    /// <summary>
    /// The lint pre-flight <c>apply</c> runs, against the real database's table sizes, reported and never blocking: errors and
    /// warnings per migration id. A lint that cannot run is a warning.
    /// </summary>
    private IReadOnlyDictionary<string, IReadOnlyList<string>> LintPreflight(IReadOnlyList<string> ids)
    {
        try
        {
            var inputs = new LintInputs(_session);
            var report = new LintEngine(new LintOptions(), inputs.Database()).Run(inputs.For(ids, revert: false));
            var findings = report.Findings.Where(f => f.Severity != LintSeverity.Info && f.Suppressed is null).ToList();
            foreach (var f in findings)
            {
                _reporter.Warning($"lint (reported, not blocking a rehearsal; 'apply' would {(f.Severity == LintSeverity.Error ? "refuse it without --allow-unsafe" : "warn")}): {f.Code} {f.Migration} {f.Operation}: {f.Message}");
            }

            return findings.GroupBy(f => f.Migration, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(f => $"{f.Code} {f.Severity.ToString().ToLowerInvariant()}: {f.Message}").ToList(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not CommandException)
        {
            _reporter.Warning($"The lint pre-flight could not run ({ex.Message}); the rehearsal goes on without it.");
            return new Dictionary<string, IReadOnlyList<string>>();
        }
    }

    private static BackupEntry OpenBackup(string file)
    {
        try
        {
            return new BackupCatalog().Open(Path.GetFullPath(file));
        }
        catch (BackupException ex)
        {
            throw new CommandException(ExitCodes.UsageError, $"--from-backup: {ex.Message}", ex);
        }
    }

    private async Task<(IReadOnlyList<RehearsedMigration> Migrations, string? ReapplyError)> RehearseOnCopyAsync(
        string copyConnection, IReadOnlyList<string> applied, IReadOnlyList<string> ids, RehearsalRequest request, CancellationToken cancellationToken)
    {
        var server = new NpgsqlScratchDatabaseServer(copyConnection);
        await using var sampler = await PgLockSampler.StartAsync(copyConnection, SampleInterval);
        using var context = _session.Design.CreateContext(_contextName, copyConnection);
        // One session for the copy's sizes and catalogs, between the steps: the copy's connection string is unpooled (the
        // copy is dropped right after), so each read on a connection of its own was a new session, a server fork each.
        await using var probe = new NpgsqlConnection(copyConnection);
        await probe.OpenAsync(cancellationToken);
        var ignored = BookkeepingTables.For(context);
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var runner = new PlanRunner(new SafeMigrator(context), new PgAdvisoryLock(connection), null,
            new PlanRunPresenter(_reporter, $"the copy \"{connection.Database}\""), new PgLockContention(connection, copyConnection));
        var journal = new JournalRecorder(context, new NpgsqlJournalTableProbe(), ToolInfo.Version);
        PlanRunOptions Options(string target) => new(target, request.LockTimeout, null)
        {
            Journal = journal,
            DdlLockTimeout = request.DdlLockTimeout,
            DdlLockRetries = request.DdlLockRetries,
        };

        var before = new Dictionary<string, SchemaCatalog>(StringComparer.Ordinal);
        var results = new List<RehearsedMigration>();
        foreach (var id in ids)
        {
            if (results.Any(r => r.Error is not null))
            {
                results.Add(new RehearsedMigration(id, null, null, [], [], RoundTripStates.Skipped, null, []));
                continue;
            }

            if (request.RoundTrip)
            {
                before[id] = server.ReadCatalog(probe, ignored);
            }

            var sizesBefore = PgSizes.TableBytes(probe);
            sampler.TakeAndReset();
            long? duration = null;
            string? error = null;
            try
            {
                var run = await runner.RunAsync(Options(id), cancellationToken);
                duration = (long)run.Completed.Sum(c => c.Duration.TotalMilliseconds);
            }
            catch (PlanStepFailedException failure)
            {
                error = failure.DatabaseError;
            }

            var locks = sampler.TakeAndReset().Where(l => !IsBookkeeping(l.Relation, ignored))
                .Select(l => new RehearsalLock(l.Relation, l.Mode, (long)l.WaitedMs)).ToList();
            var sizesAfter = PgSizes.TableBytes(probe);
            var touched = sizesBefore.Keys.Union(sizesAfter.Keys)
                .Where(t => !IsBookkeeping(t, ignored))
                .Where(t => locks.Any(l => l.Table == t) || sizesBefore.GetValueOrDefault(t, -1) != sizesAfter.GetValueOrDefault(t, -1))
                .Order(StringComparer.Ordinal)
                .Select(t => new RehearsalTableSize(t, sizesBefore.TryGetValue(t, out var b) ? b : null, sizesAfter.TryGetValue(t, out var a) ? a : null))
                .ToList();
            results.Add(new RehearsedMigration(id, duration, error, locks, touched, RoundTripStates.Skipped, null, []));
        }

        if (!request.RoundTrip || results.Any(r => r.Error is not null))
        {
            return (results, null);
        }

        for (var i = ids.Count - 1; i >= 0; i--)
        {
            var previous = i > 0 ? ids[i - 1] : applied.Count > 0 ? applied[^1] : Microsoft.EntityFrameworkCore.Migrations.Migration.InitialDatabase;
            string? downError = null;
            try
            {
                await runner.RunAsync(Options(previous), cancellationToken);
            }
            catch (PlanStepFailedException failure)
            {
                downError = failure.DatabaseError;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                downError = Innermost(ex);
            }

            if (downError is not null)
            {
                results[i] = results[i] with { RoundTrip = RoundTripStates.Failed, RoundTripError = downError };
                break; // the earlier migrations' Down cannot run on top of a failed one
            }

            var differences = SchemaCatalog.Compare(before[ids[i]], server.ReadCatalog(probe, ignored));
            results[i] = results[i] with { RoundTrip = differences.Count == 0 ? RoundTripStates.Ok : RoundTripStates.Different, RoundTripDifferences = differences };
        }

        string? reapplyError = null;
        try
        {
            await runner.RunAsync(Options(ids[^1]), cancellationToken);
        }
        catch (PlanStepFailedException failure)
        {
            reapplyError = $"'{failure.Step.MigrationId}' failed to apply again after the round trip: {failure.DatabaseError}";
        }

        return (results, reapplyError);
    }

    private static bool IsBookkeeping(string qualifiedTable, IReadOnlyList<string> ignored)
        => ignored.Contains(qualifiedTable[(qualifiedTable.IndexOf('.', StringComparison.Ordinal) + 1)..]);

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Trim();
    }
}
