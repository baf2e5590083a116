using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary><c>rehearse [TARGET]</c>: apply the pending migrations on a scratch copy, measure, round-trip, drop the copy (<see cref="RehearsalOperations"/>).</summary>
internal static class RehearseCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Dry run on a real copy: apply the pending migrations to a scratch copy of the database, measure them, revert and re-apply them, then drop the copy. Exit 1 when something failed.";
        command.ExtendedHelpText = string.Join(Environment.NewLine,
        [
            "",
            "The copy is <db>_rehearsal_<utc> on the same server: CREATE DATABASE ... TEMPLATE when no other session is connected",
            "to the database (sessions are never ended for this; while PostgreSQL copies, new connections to the database wait),",
            "otherwise a fresh verified pg_dump backup restored into it; --from-backup restores an existing backup instead (e.g. a",
            "copy of production on a staging server). The migrations run as 'apply' runs them (migration lock, --ddl-lock-timeout,",
            "retries), one at a time: time, table locks seen in pg_locks (sampled every 5 ms from another connection) and the size",
            "of each touched table before/after; the lint pre-flight apply runs is reported, never blocking. The round trip runs each Down in reverse order and compares the schema (tables,",
            "columns with types, nullability and defaults, indexes, constraints, sequences) with the one before its Up, then",
            "re-applies. The copy is dropped at the end, also on failure and Ctrl+C; one left by a killed rehearsal is named by",
            "'status' and dropped by the next 'rehearse'. The database itself is never changed.",
            "Exit codes: 0 all applied and round-tripped; 1 something failed (named); 2 usage; 4 the copy could not be made; 130/143 interrupted.",
        ]);
        var target = command.Argument("TARGET", "Rehearse up to this migration (id or name). Default: every pending migration.");
        var fromBackup = command.Option("--from-backup <FILE>", "Restore this backup archive (with its .json sidecar) into the copy instead of copying the database.", CommandOptionType.SingleValue);
        var keep = command.Option("--keep", "Keep the copy at the end (the next rehearse drops it).", CommandOptionType.NoValue);
        var noRoundTrip = command.Option("--no-roundtrip", "Do not revert and re-apply (only apply and measure).", CommandOptionType.NoValue);
        var lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for the migration lock on the copy and for table locks while backing up. Default: {MigrationRun.DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        var ddlLockTimeout = command.Option("--ddl-lock-timeout <SECONDS>", $"PostgreSQL lock_timeout for each migration, as 'apply' sets it. Default: {PlanRunOptions.DefaultDdlLockTimeout.TotalSeconds:0}.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, async session =>
        {
            var request = new RehearsalRequest(target.Value, fromBackup.Value(), keep.HasValue(), !noRoundTrip.HasValue(),
                TimeSpan.FromSeconds(Seconds(lockTimeout, MigrationRun.DefaultLockTimeoutSeconds)),
                TimeSpan.FromSeconds(Seconds(ddlLockTimeout, (int)PlanRunOptions.DefaultDdlLockTimeout.TotalSeconds)),
                MigrationRun.DefaultDdlLockRetries);
            RestoreLeftoverCheck.Check(session);
            try
            {
                using var protect = Interruption.Protect();
                var report = await new RehearsalOperations(session, options.Context.Value()).RunAsync(request, Interruption.Token);
                return RehearsalPresenter.Present(session.Reporter, report, session.Database.Describe());
            }
            catch (OperationCanceledException cancelled) when (Interruption.ExitCode is { } code)
            {
                throw new CommandException(code, $"Interrupted by {Interruption.SignalName}: the rehearsal stopped and its scratch copy was dropped{(keep.HasValue() ? " (unless --keep)" : string.Empty)}. {session.Database.Describe()} was not changed.", cancelled);
            }
        }));
    }

    private static int Seconds(CommandOption option, int defaultValue)
        => !option.HasValue() ? defaultValue
            : int.TryParse(option.Value(), out var value) && value >= 0 ? value
            : throw new CommandException(ExitCodes.UsageError, $"--{option.LongName} takes a whole number of seconds (0 or more), not '{option.Value()}'.");
}
