using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// What <c>apply --fleet</c> does around <see cref="FleetRun"/>: reads the list, keeps the shard, chooses the
/// parallelism, runs, writes the summary (or <c>--json</c>), and ends with the run's exit code and, when databases
/// failed, one message naming each failed database with its error and its backup.
/// </summary>
internal static class FleetApply
{
    /// <summary>Runs the fleet.</summary>
    /// <param name="session">The project's session (one design host and model for the whole fleet).</param>
    /// <param name="options">The fleet options (validated).</param>
    /// <param name="contextName">The <c>--context</c> option.</param>
    /// <param name="target">The TARGET argument; null for the newest (shown in messages).</param>
    /// <param name="noBackup">True with <c>--no-backup</c> (warned once for the fleet).</param>
    /// <param name="applyOne">The single-database apply, given a database's session and its progress observer.</param>
    /// <returns>0 when no database failed.</returns>
    /// <exception cref="CommandException">The list is unreadable or malformed (2), or databases failed (4 or 5, see <see cref="FleetOutcome.ExitCode"/>; 130/143 interrupted).</exception>
    public static async Task<int> ExecuteAsync(ProjectSession session, FleetOptions options, string? contextName, string? target, bool noBackup,
        Func<ProjectSession, IPlanRunObserver, Task<(PlanRunResult Result, string? Current)>> applyOne)
    {
        var reporter = session.Reporter;
        var source = options.ListPath == "-" ? "standard input" : options.ListPath;
        var all = FleetFile.Read(options.ListPath, Console.In);
        var shard = options.Shard;
        var databases = shard.Select(all);
        var server = session.Context.Database.GetConnectionString();
        var parallel = options.Parallel ?? FleetRun.DefaultParallel(databases.Count == 0 ? null : SafeConnectionString(databases[0], server, source));
        var canary = options.Canary;
        reporter.Info($"Fleet: {databases.Count} of the {all.Count} database(s) of {source}" +
                      (shard == FleetShard.All ? string.Empty : $" (shard {shard}: positions {shard.Index}, {shard.Index + shard.Count}, ...)") +
                      $", {parallel} at a time{(canary > 0 ? $", the first {Math.Min(canary, databases.Count)} as canaries" : string.Empty)}, " +
                      (options.ContinueOnFailure ? "continuing after a failure" : "stopping at the first failure") +
                      $", to {(string.IsNullOrEmpty(target) ? "the newest migration" : $"'{target}'")}.");
        if (noBackup)
        {
            reporter.Warning("--no-backup: no backup will be taken of any database of the fleet; if a migration fails there is nothing to restore from.");
        }

        FleetOutcome outcome;
        await using (var presenter = new FleetPresenter(reporter, databases.Count, live: reporter.CanShowProgress))
        {
            var scheduler = new FleetScheduler(parallel, canary, options.ContinueOnFailure);
            outcome = await new FleetRun(session, contextName).RunAsync(databases, source, scheduler, presenter, applyOne);
            await presenter.DisposeAsync();
            presenter.Summary(outcome, FleetApplyResult.From(outcome, shard, parallel, canary, options.ContinueOnFailure));
        }

        var code = outcome.ExitCode;
        if (code == ExitCodes.Success)
        {
            return code;
        }

        throw new CommandException(code, FailureMessage(outcome, source));
    }

    private static string? SafeConnectionString(FleetEntry entry, string? server, string source)
    {
        try
        {
            return entry.ConnectionStringOn(server, source);
        }
        catch (CommandException)
        {
            return null; // reported by that database's run
        }
    }

    private static string FailureMessage(FleetOutcome outcome, string source)
    {
        var failed = outcome.Failed;
        var skipped = outcome.Databases.Count(d => d.Status == FleetDatabaseStatus.Skipped);
        var lines = new List<string>
        {
            $"{failed.Count} of the {outcome.Databases.Count} database(s) failed" +
            (outcome.CanaryFailed ? " among the canaries, so no other database was started" : string.Empty) +
            (skipped > 0 && !outcome.CanaryFailed ? $"; {skipped} were not started" : string.Empty) + ":",
        };
        foreach (var database in failed)
        {
            var entry = database.Entry;
            lines.Add($"- {entry.DisplayName} (line {entry.Line} of {source}, database '{entry.DatabaseName}'), exit code {database.ExitCode}:");
            lines.AddRange((database.Error ?? "unknown error").Split('\n').Select(line => "    " + line.TrimEnd('\r')));
            lines.Add(database.Backup is null ? "    Backup: none was taken." : $"    Backup: {database.Backup}");
            if (database.Error?.Contains("dotnet safe-migrate", StringComparison.Ordinal) == true)
            {
                lines.Add($"    (The commands above act on the database of --connection: for this one, pass --connection with its connection string, line {entry.Line} of {source}.)");
            }
        }

        lines.Add("Databases that did not fail are at the target and stay there. Fix the failures and run the same command again: databases already at the target are skipped.");
        return string.Join(Environment.NewLine, lines);
    }
}
