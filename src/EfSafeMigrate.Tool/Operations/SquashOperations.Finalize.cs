using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Operations;

// <c>squash --finalize [SQUASH]</c>: deletes the files (migration and designer) of the migrations a
// squashed migration replaces, once no known database is inside its range, then rewrites
// <c>safe-migrate.sum</c> (<see cref="SumFiles.WriteAll"/>: the squashed migration's recorded parent is
// gone, so it follows the migration before the range). Known databases are the DbContext's (its
// configured connection, or <c>--connection</c>) and each <c>--also-connection</c>; each is judged by the
// runtime's rules on the code as it will be (<see cref="SquashFinalizer"/>). A database inside a range is
// refused (exit 1, nothing deleted); one that cannot be reached is refused (exit 2) unless <c>--force</c>.
internal static partial class SquashOperations
{
    /// <summary>Finalizes the named squash, or every squash whose replaced migrations are still in the project.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextOption">The <c>--context</c> option, or null.</param>
    /// <param name="squash">The squashed migration's id or name, or null for all.</param>
    /// <param name="alsoConnections">More databases to check (<c>--also-connection</c>).</param>
    /// <param name="force">Finalize even when a database cannot be reached (warned).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">A refusal; nothing was deleted.</exception>
    public static int Finalize(ProjectSession session, string? contextOption, string? squash, IReadOnlyList<string> alsoConnections, bool force)
    {
        var reporter = session.Reporter;
        var finalizer = new SquashFinalizer(CodeMigrations.Of(session.Context));
        IReadOnlyList<SquashFinalization> selected;
        try
        {
            selected = finalizer.Select(squash);
        }
        catch (SquashRefusedException ex)
        {
            throw new CommandException(ExitCodes.UsageError, ex.Message + " Nothing was changed.", ex);
        }

        if (selected.Count == 0)
        {
            reporter.Info(squash is null
                ? finalizer.Squashes.Count == 0
                    ? "Nothing to finalize: the project has no squashed migration."
                    : $"Nothing to finalize: the migrations replaced by {string.Join(", ", finalizer.Squashes.Select(s => $"'{s.Id}'"))} are no longer in the project."
                : $"Nothing to finalize: none of the migrations '{squash}' replaces is in the project any more (it was finalized already).");
            ReportJson(reporter, []);
            return ExitCodes.Success;
        }

        var files = MigrationFiles.For(session.ProjectDir);
        var deletedIds = selected.SelectMany(f => f.DeletedIds).ToHashSet(StringComparer.Ordinal);
        var squashIds = finalizer.Squashes.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        if (IntegrityGate.RefuseOnIntegrityErrors(files, contextOption, reporter, $"Not finalizing {Describe(selected)}",
                f => f.Migrations.Count > 0 && f.Migrations.All(id => deletedIds.Contains(id) || squashIds.Contains(id))) is { } refused)
        {
            return refused;
        }

        var sources = SourcesOf(files, session, selected);
        CheckDatabases(session, finalizer, selected, alsoConnections, force);

        var finalized = new List<FinalizedSquashResult>();
        foreach (var finalization in selected)
        {
            var deleted = new List<string>();
            foreach (var id in finalization.DeletedIds)
            {
                foreach (var path in sources[id].Files.Select(files.FullPath))
                {
                    File.Delete(path);
                    deleted.Add(path);
                    reporter.Info($"Deleted {Relative(path)}");
                }
            }

            reporter.Info($"Finalized '{finalization.Id}': deleted the {finalization.DeletedIds.Count} migration(s) it replaces ({deleted.Count} file(s)).");
            finalized.Add(new FinalizedSquashResult(finalization.Id, deleted));
        }

        var sumFiles = new SumFiles(files, reporter);
        sumFiles.WriteAll();
        sumFiles.DeleteOrphaned(selected.SelectMany(f => f.DeletedIds).Select(id => files.FullPath(sources[id].Folder)));
        reporter.Info("Done. Build the project, run 'dotnet safe-migrate check', and commit the deletions with safe-migrate.sum. Databases after the range count the squashed " +
                      "migration as applied; new databases run it. Only the databases listed above were checked: one elsewhere that is still inside the range can no " +
                      "longer be migrated by this code; bring it past the range with the previous commit (which still has the replaced migrations) before deploying this one.");
        ReportJson(reporter, finalized);
        return ExitCodes.Success;
    }

    // The source of every migration to delete, found as 'hash' and 'check' find them (all files that declare its class).
    private static Dictionary<string, MigrationSource> SourcesOf(MigrationFiles files, ProjectSession session, IReadOnlyList<SquashFinalization> selected)
    {
        var contextName = session.Context.GetType().Name;
        var migrations = MigrationFolder.From(files.FromWorkingTree()).SelectMany(f => f.Migrations).Where(m => m.Id is not null).ToList();
        var sources = new Dictionary<string, MigrationSource>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in selected.SelectMany(f => f.DeletedIds))
        {
            var candidates = migrations.Where(m => m.Id == id).ToList();
            var source = candidates.FirstOrDefault(m => m.Context == contextName) ?? (candidates.Count == 1 ? candidates[0] : null);
            if (source is null)
            {
                missing.Add(id);
            }
            else
            {
                sources[id] = source;
            }
        }

        if (missing.Count > 0)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The source files of {string.Join(", ", missing.Select(id => $"'{id}'"))} were not found under {session.ProjectDir}, although the built project has {(missing.Count == 1 ? "it" : "them")}. Nothing was changed. " +
                "If the files were deleted already, build the project again (without --no-build); if they live elsewhere, run the command with -p pointing at the project that holds them.");
        }

        return sources;
    }

    private static void CheckDatabases(ProjectSession session, SquashFinalizer finalizer, IReadOnlyList<SquashFinalization> selected, IReadOnlyList<string> alsoConnections, bool force)
    {
        var reporter = session.Reporter;
        var inside = new List<(string Database, string? Option, DatabaseRangeCheck Check)>();
        string? database = null;
        try
        {
            database = session.Database.Describe();
        }
        catch (CommandException ex) when (force)
        {
            reporter.Warning($"--force: the DbContext's database was not checked ({ex.Message}).");
        }
        catch (CommandException ex)
        {
            throw new CommandException(ex.ExitCode,
                $"{ex.Message} Finalizing needs it to check that the database is not inside the range of {Describe(selected)}. Nothing was changed. " +
                "Pass --connection, or --force to finalize without checking any database.", ex);
        }

        if (database is not null)
        {
            inside.AddRange(CheckOne(session, finalizer, selected, database, option: null, force).Select(c => (database, (string?)null, c)));
        }

        var original = session.Context.Database.GetConnectionString();
        try
        {
            for (var i = 0; i < alsoConnections.Count; i++)
            {
                string other;
                try
                {
                    other = new PgConnectionInfo(alsoConnections[i]).Describe();
                }
                catch (ArgumentException ex)
                {
                    throw new CommandException(ExitCodes.UsageError, $"--also-connection #{i + 1}: {ex.Message} Nothing was changed.", ex);
                }

                session.Context.Database.SetConnectionString(alsoConnections[i]);
                inside.AddRange(CheckOne(session, finalizer, selected, other, $"--also-connection #{i + 1}", force).Select(c => (other, (string?)$"--also-connection #{i + 1}", c)));
            }
        }
        finally
        {
            session.Context.Database.SetConnectionString(original);
        }

        if (inside.Count > 0)
        {
            throw new CommandException(ExitCodes.ProblemsFound, string.Join(Environment.NewLine, inside.Select(i => InsideMessage(i.Database, i.Option, i.Check))));
        }
    }

    private static IReadOnlyList<DatabaseRangeCheck> CheckOne(ProjectSession session, SquashFinalizer finalizer, IReadOnlyList<SquashFinalization> selected, string database, string? option, bool force)
    {
        var reporter = session.Reporter;
        IReadOnlyList<string> history;
        try
        {
            history = DatabaseHistory.ReadIds(session.Context);
        }
        catch (Exception ex) when (DatabaseServices.IsConnectionError(ex))
        {
            var error = MigrationExecutionException.DatabaseError(ex);
            if (force)
            {
                reporter.Warning($"--force: cannot connect to {database} ({error}); finalizing without checking it. If it is inside the range of {Describe(selected)}, " +
                                 "this code can no longer migrate it: bring it past the range with a version that still has the replaced migrations.");
                return [];
            }

            throw new CommandException(ExitCodes.UsageError,
                $"Cannot connect to {database}{(option is null ? string.Empty : $" ({option})")} to check whether it is inside the range of {Describe(selected)}: {error}. Nothing was changed. " +
                "Check the connection string (--connection, --also-connection or the application's configuration), or use --force to finalize without checking it.", ex);
        }

        var checks = finalizer.Check(selected, history);
        foreach (var check in checks.Where(c => !c.IsInside))
        {
            reporter.Info($"Checked {database}: {PositionText(check)}.");
        }

        return checks.Where(c => c.IsInside).ToList();
    }

    private static string PositionText(DatabaseRangeCheck check) => check.Position switch
    {
        SquashRangePosition.Before => $"before the range of '{check.Finalization.Id}' (none of the migrations it replaces is applied; it will run '{check.Finalization.Id}')",
        SquashRangePosition.After => $"after the range of '{check.Finalization.Id}' (every migration it replaces is applied; '{check.Finalization.Id}' counts as applied)",
        _ => $"'{check.Finalization.Id}' is applied",
    };

    private static string InsideMessage(string database, string? option, DatabaseRangeCheck check)
    {
        var squash = check.Finalization.Squash;
        var applied = string.Join(", ", check.AppliedIds);
        var notApplied = string.Join(", ", check.NotAppliedIds);
        var connection = option is null ? "(with the same --connection as this run, if it had one)" : $"--connection <the connection string of {option}>";
        return $"Not finalizing '{squash.Id}': {database}{(option is null ? string.Empty : $" ({option})")} is inside its range ({squash.DescribeRange()}): " +
               $"{applied} {(check.AppliedIds.Count == 1 ? "is" : "are")} applied there, {notApplied} {(check.NotAppliedIds.Count == 1 ? "is" : "are")} not, and '{squash.Id}' is not. " +
               $"Without the replaced migrations this code could neither finish the range nor run '{squash.Id}' there. Nothing was changed. " +
               $"Fix: with the replaced migrations still in the project, run 'dotnet safe-migrate apply {connection}' on that database first (it applies the rest of the range), " +
               "then run 'dotnet safe-migrate squash --finalize' again.";
    }

    private static string Describe(IReadOnlyList<SquashFinalization> selected)
        => string.Join(", ", selected.Select(f => $"'{f.Id}'"));

    private static void ReportJson(Reporter reporter, IReadOnlyList<FinalizedSquashResult> finalized)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new FinalizeResult(finalized));
        }
    }
}
