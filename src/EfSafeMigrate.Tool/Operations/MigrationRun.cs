using EfSafeMigrate.Execution;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Rehearsal;
using EfSafeMigrate.Tool.Commands;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Tool.Output.Progress;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// What <c>apply</c> and <c>rollback --to</c> share: the lock and backup options, running the
/// plan through <see cref="PlanRunner"/>, the summary, and the failure message that names the
/// migration, the database error and the backup to restore. Every executed step is recorded in
/// the journal table with the checksum of the migration's files in the working tree (a journal
/// row that cannot be written is a warning; the migration stays applied).
/// </summary>
internal sealed class MigrationRun
{
    /// <summary>Default of <c>--lock-timeout</c>, in seconds.</summary>
    public const int DefaultLockTimeoutSeconds = 60;

    /// <summary>Default of <c>--ddl-lock-retries</c>.</summary>
    public const int DefaultDdlLockRetries = 3;

    private readonly CommandOption _noBackup;
    private readonly CommandOption _lockTimeout;
    private readonly CommandOption _ddlLockTimeout;
    private readonly CommandOption _ddlLockRetries;
    private readonly CommandOption _commandTimeout;
    private readonly BackupOptions _backup;
    private readonly BackupStrategyOptions _strategy;
    private readonly ProjectOptions _options;
    private readonly CompiledMigrationsOption _compiled;

    private MigrationRun(CommandLineApplication command, ProjectOptions options)
    {
        _options = options;
        _noBackup = command.Option("--no-backup", "Do not take a backup first (printed as a warning).", CommandOptionType.NoValue);
        _lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for another run's migration lock. Default: {DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        _ddlLockTimeout = command.Option("--ddl-lock-timeout <SECONDS>",
            $"PostgreSQL lock_timeout for each migration: a statement waiting longer for a table lock fails, the migration rolls back and is retried (so it never queues other queries behind it for longer). 0: none. Default: {PlanRunOptions.DefaultDdlLockTimeout.TotalSeconds:0}.",
            CommandOptionType.SingleValue);
        _ddlLockRetries = command.Option("--ddl-lock-retries <COUNT>",
            $"How many times a migration that failed on --ddl-lock-timeout is tried again (waits 1 s, 2 s, 4 s, ... between tries). Default: {DefaultDdlLockRetries}.", CommandOptionType.SingleValue);
        _commandTimeout = command.Option("--command-timeout <SECONDS>",
            "Command timeout of the migrations' statements. Default: none (a long CREATE INDEX is never cut off; Npgsql's own default is 30 s).", CommandOptionType.SingleValue);
        _backup = options.AddBackupDir().Backup;
        _compiled = CompiledMigrationsOption.Add(command);
        _strategy = BackupStrategyOptions.Add(command);
    }

    /// <summary>Adds the options to a command that already has the project options (and declares their --backup-dir, which it uses).</summary>
    public static MigrationRun Add(CommandLineApplication command, ProjectOptions options) => new(command, options);

    /// <summary>Whether <c>--no-backup</c> was given.</summary>
    public bool NoBackup => _noBackup.HasValue();

    /// <summary><c>--lock-timeout</c> (default <see cref="DefaultLockTimeoutSeconds"/>).</summary>
    /// <exception cref="CommandException">Not a whole number of seconds, 0 or more (exit code 2).</exception>
    public TimeSpan LockTimeout => TimeSpan.FromSeconds(ParseSeconds(_lockTimeout, DefaultLockTimeoutSeconds));

    /// <summary>Runs the plan to <paramref name="target"/> with the options given.</summary>
    /// <exception cref="CommandException">Bad option values (2) or a failed step (5, with the full message).</exception>
    public async Task<int> ExecuteAsync(ProjectSession session, string? target, Func<MigrationPlan, MigrationPlan>? adjustPlan = null)
    {
        var reporter = session.Reporter;
        var (result, current) = await RunAsync(session, target, adjustPlan);
        if (reporter.Json)
        {
            reporter.JsonDocument(new ApplyResult(
                session.Database.Connection.Database,
                result.Backup?.Path,
                result.Completed.Select(c => new ExecutedStepEntry(c.Step.Action, c.Step.MigrationId, (long)c.Duration.TotalMilliseconds)).ToList(),
                current,
                result.DatabaseCreated));
        }

        if (!result.Plan.IsEmpty)
        {
            var total = result.Completed.Sum(c => c.Duration.TotalMilliseconds);
            reporter.Success($"Done: {result.Completed.Count} step(s) in {HumanFormat.Milliseconds((long)total)}. {session.Database.Describe()} is at {(current is null ? "no migration" : $"migration '{current}'")}.");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs the plan to <paramref name="target"/> on the session's database with the options given, and prints
    /// nothing but the progress (<paramref name="observer"/>, default: a <see cref="PlanRunPresenter"/>) and warnings:
    /// the path both <c>apply</c> and each database of <c>apply --fleet</c> take.
    /// </summary>
    /// <param name="session">The database's session.</param>
    /// <param name="target">The target as the user gave it; null for the newest.</param>
    /// <param name="adjustPlan">Applied to the plan under the lock (validation, fakes, lint).</param>
    /// <param name="observer">Receives the progress; null shows it as <c>apply</c> does.</param>
    /// <param name="checksums">The migrations' source checksums by id, when the caller read them already (a fleet reads them once); null reads them.</param>
    /// <param name="generatedSteps">Steps whose SQL another run of this process generated already (<see cref="PlanRunOptions.GeneratedSteps"/>); null checks every step.</param>
    /// <returns>The run's result and the newest migration applied after it (null: none).</returns>
    /// <exception cref="CommandException">Bad option values (2), a failed step (5, with the full message naming the backup), or an interruption (130/143).</exception>
    public async Task<(PlanRunResult Result, string? Current)> RunAsync(ProjectSession session, string? target, Func<MigrationPlan, MigrationPlan>? adjustPlan = null,
        IPlanRunObserver? observer = null, IReadOnlyDictionary<string, string>? checksums = null,
        System.Collections.Concurrent.ConcurrentDictionary<MigrationStep, bool>? generatedSteps = null)
    {
        var reporter = session.Reporter;
        var lockTimeout = TimeSpan.FromSeconds(ParseSeconds(_lockTimeout, DefaultLockTimeoutSeconds));
        var ddlLockTimeout = TimeSpan.FromSeconds(ParseSeconds(_ddlLockTimeout, (int)PlanRunOptions.DefaultDdlLockTimeout.TotalSeconds));
        var ddlLockRetries = ParseSeconds(_ddlLockRetries, DefaultDdlLockRetries, "a whole number (0 or more)");
        var commandTimeoutSeconds = ParseSeconds(_commandTimeout, 0);
        TimeSpan? commandTimeout = commandTimeoutSeconds == 0 ? null : TimeSpan.FromSeconds(commandTimeoutSeconds);
        string? folder = null;
        var strategy = _strategy;
        strategy.Validate(); // before anything runs: a bad --backup-strategy is a usage error
        if (_noBackup.HasValue())
        {
            if (observer is null) // a fleet warns once for all its databases
            {
                reporter.Warning("--no-backup: no backup will be taken; if a migration fails there is nothing to restore from.");
            }
        }
        else
        {
            folder = _backup.FolderToWrite(session.ProjectDir, reporter);
        }

        // Live progress (a terminal, no --json) until the run ends, so that its last lines and any error are printed after it.
        // A fleet draws its own view of all its databases: no live progress per database then.
        using var live = observer is null ? LiveProgress.Start(reporter) : null;
        var runner = new PlanRunner(
            session.Migrator,
            session.Database.CreateLock(),
            folder is null ? null
                : live is null ? strategy.CreateProvider(session.Database, lockTimeout)
                : BackupProgressView.Attach(strategy.CreateProvider(session.Database, lockTimeout), live, $"Backing up {session.Database.Describe()}", "Restoring"),
            observer ?? new PlanRunPresenter(reporter, session.Database.Describe(), live),
            session.Database.CreateLockContention());

        var sourceChecksums = checksums ?? SourceChecksums(session);
        var journal = new JournalRecorder(session.Context, session.Database.CreateJournalProbe(), ToolInfo.Version);
        var runStarted = DateTime.UtcNow;

        // What only a run with steps needs (the compiled migrations, the database's size before) is prepared once the plan under
        // the lock has steps: a run with nothing to do (the no-op apply) neither looks at the cache nor reads the size. The compiled
        // migrations are attached before the adjustment, whose lint reads its cached verdicts (LintGate).
        CompiledMigrations? compiled = null;
        long? sizeBefore = null;
        MigrationPlan Prepared(MigrationPlan plan)
        {
            if (!plan.IsEmpty)
            {
                compiled = _compiled.Attach(session, sourceChecksums);
            }

            plan = adjustPlan?.Invoke(plan) ?? plan;
            if (!plan.IsEmpty)
            {
                sizeBefore = DatabaseSize(session);
            }

            return plan;
        }

        PlanRunResult result;
        try
        {
            // From here a SIGINT/SIGTERM stops the run at a safe point instead of ending the process.
            using var protect = Interruption.Protect();
            result = await runner.RunAsync(new PlanRunOptions(target, lockTimeout, folder, Prepared)
            {
                Journal = journal,
                Checksum = sourceChecksums.GetValueOrDefault,
                JournalFailed = failure => reporter.Warning(failure.Message),
                DdlLockTimeout = ddlLockTimeout,
                DdlLockRetries = ddlLockRetries,
                CommandTimeout = commandTimeout,
                GeneratedSteps = generatedSteps,
            }, Interruption.Token);
        }
        catch (PlanStepFailedException failure)
        {
            throw new CommandException(ExitCodes.ApplyFailed, FailureMessage(session, failure, target, commandTimeout), failure);
        }
        catch (OperationCanceledException cancelled) when (Interruption.ExitCode is { } code)
        {
            throw new CommandException(code, InterruptedMessage(session, cancelled as PlanInterruptedException), cancelled);
        }

        live?.Dispose();
        CompiledMigrationsOption.Report(reporter, compiled);
        if (result.Completed.Count > 0)
        {
            try
            {
                journal.RecordRunSizes(runStarted, result.DatabaseCreated ? null : sizeBefore, DatabaseSize(session)); // a database this run created had no size before it
            }
            catch (JournalWriteException failure)
            {
                reporter.Warning(failure.Message);
            }
        }

        if (folder is not null && result.Backup is not null)
        {
            BackupRetention.Apply(reporter, _options.Settings, folder, session.Database.Connection.Database);
        }

        return (result, session.CurrentMigration());
    }

    /// <summary>The part of the failure message that names the sessions a migration waited for, and how to end them.</summary>
    private static IEnumerable<string> LockWaitLines(MigrationStep step, LockWaitFailure wait)
    {
        yield return $"It waited more than --ddl-lock-timeout {wait.LockTimeout.TotalSeconds:0.###} s for a lock in each of {wait.Attempts} attempt(s) (each rolled back; other queries on the table were held up at most that long each time)" +
                     (wait.WaitingFor is null ? "." : $": it waited for {wait.WaitingFor}.");
        if (wait.Blockers.Count == 0)
        {
            yield return "The sessions holding the lock were not seen in time; look for them with: SELECT pid, usename, application_name, state, xact_start, query FROM pg_stat_activity WHERE pid = ANY (pg_blocking_pids(<pid of the migration>));";
            yield break;
        }

        yield return $"Blocked by {wait.Blockers.Count} session(s):";
        foreach (var blocker in wait.Blockers)
        {
            yield return "  " + blocker.Describe();
        }

        yield return "Let them finish (e.g. a long report or an idle transaction) and run the apply again, or raise --ddl-lock-timeout / --ddl-lock-retries. " +
                     "To end them (their transactions roll back; safe-migrate never does this itself):";
        foreach (var blocker in wait.Blockers)
        {
            yield return "  " + blocker.TerminateSql;
        }
    }

    /// <summary>
    /// The hash of each migration's files in the project's working tree, by id, as
    /// <c>check --connection</c> computes it (so the two agree); empty, with a warning, when the
    /// sources cannot be read (the journal then records no checksum). With <c>--no-build</c>
    /// these are the files as they are now, which may differ from the built assembly. Read once per
    /// session (the first call), so that the journal rows, the compiled-migration keys and apply's
    /// edited-after-apply validation see the same files.
    /// </summary>
    public static IReadOnlyDictionary<string, string> SourceChecksums(ProjectSession session) => ReadChecksums.GetValue(session, Read);

    // A session's checksums are read once: the run's journal rows and compiled-migration keys and apply's validation
    // (edited-after-apply) then see the same files.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProjectSession, IReadOnlyDictionary<string, string>> ReadChecksums = new();

    private static IReadOnlyDictionary<string, string> Read(ProjectSession session)
    {
        try
        {
            return MigrationSourceHashes.Read(session.ProjectDir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandException)
        {
            session.Reporter.Warning($"Cannot read the migration sources under '{session.ProjectDir}' ({ex.Message}); the journal will record these steps without checksums, so 'check --connection' cannot tell later whether they were edited.");
            return new Dictionary<string, string>();
        }
    }

    /// <summary>The database's size in bytes (<c>pg_database_size</c>), or null when it cannot be read (e.g. it does not exist yet).</summary>
    private static long? DatabaseSize(ProjectSession session)
    {
        try
        {
            return PgSizes.DatabaseBytes((NpgsqlConnection)session.Context.Database.GetDbConnection());
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            return null;
        }
    }

    private static int ParseSeconds(CommandOption option, int defaultValue, string what = "a whole number of seconds (0 or more)")
    {
        if (!option.HasValue())
        {
            return defaultValue;
        }

        return int.TryParse(option.Value(), out var value) && value >= 0
            ? value
            : throw new CommandException(ExitCodes.UsageError, $"--{option.LongName} takes {what}, not '{option.Value()}'.");
    }

    private static string CurrentMigration(ProjectSession session)
    {
        try
        {
            return session.CurrentMigration() is { } id ? $"migration '{id}'" : "no migration";
        }
        catch (Exception)
        {
            return "an unknown migration (the history table could not be read)";
        }
    }

    private static string InterruptedMessage(ProjectSession session, PlanInterruptedException? interrupted)
    {
        var lines = new List<string> { $"Interrupted by {Interruption.SignalName}." };
        if (interrupted is null)
        {
            lines.Add("No migration had started; nothing was changed.");
        }
        else
        {
            lines.Add(interrupted.Interrupted is { } step
                ? $"Migration '{step.MigrationId}' was stopped and rolled back (its transaction); {interrupted.Completed.Count} step(s) before it completed and stay done; no further migration was started."
                : interrupted.Completed.Count == 0
                    ? "No migration had started; nothing was changed (a backup being written was stopped and its partial file removed)."
                    : $"{interrupted.Completed.Count} step(s) completed and stay done; no further migration was started.");
            if (interrupted.Backup is { } backup)
            {
                lines.Add($"Backup taken before this run: {backup.Path}");
            }
        }

        lines.Add($"{session.Database.Describe()} is at {CurrentMigration(session)}. Run 'dotnet safe-migrate apply' again to continue.");
        return string.Join(Environment.NewLine, lines);
    }

    private static string FailureMessage(ProjectSession session, PlanStepFailedException failure, string? target, TimeSpan? commandTimeout)
    {
        var verb = failure.Step.IsRevert ? "revert" : "apply";
        var current = CurrentMigration(session);
        var lines = new List<string>
        {
            $"Migration '{failure.Step.MigrationId}' failed to {verb} on {session.Database.Describe()}: {failure.DatabaseError}",
            $"It ran in a transaction and left nothing behind. {failure.Completed.Count} step(s) before it completed in this run and stay done; the database is at {current}.",
        };
        if (failure.LockWait is { } wait)
        {
            lines.AddRange(LockWaitLines(failure.Step, wait));
        }
        else if (commandTimeout is { } timeout && failure.DatabaseError.Contains("timed out", StringComparison.Ordinal))
        {
            lines.Add($"A statement ran longer than --command-timeout {timeout.TotalSeconds:0}: raise it, or leave it out for no limit.");
        }

        if (failure.Backup is { } backup)
        {
            lines.Add($"Backup taken before this run: {backup.Path}");
            lines.Add($"To put the database back as it was before this run: dotnet safe-migrate rollback --backup \"{backup.Path}\"");
        }
        else
        {
            lines.Add("No backup was taken (--no-backup).");
        }

        if (failure.Step.IsRevert)
        {
            // 'apply' would re-apply what was being rolled back: continuing a rollback is 'rollback --to' the same target.
            var continueWith = $"dotnet safe-migrate rollback --to {Quote(target ?? "0")}";
            lines.Add($"Fix the migration's Down and run '{continueWith}' to continue the rollback from {current}" +
                      (failure.Backup is null ? "." : ", or restore the backup (command above) to undo this run.") +
                      " Do not run 'dotnet safe-migrate apply': it would re-apply what was rolled back.");
        }
        else
        {
            var again = $"dotnet safe-migrate apply{(target is null ? string.Empty : " " + Quote(target))}";
            lines.Add(failure.LockWait is null
                ? $"Fix the migration and run '{again}' again to continue from {current}."
                : $"Run '{again}' again once the lock is free to continue from {current}.");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Quote(string value) => value.Any(char.IsWhiteSpace) || value.Contains('"', StringComparison.Ordinal) ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;
}
