using EfSafeMigrate.Execution;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// What <c>apply</c> and <c>rollback --to</c> share: the lock and backup options, running the
/// plan through <see cref="PlanRunner"/>, the summary, and the failure message that names the
/// migration, the database error and the backup to restore. Every executed step is recorded in
/// the journal table with the checksum of the migration's files in the working tree (a journal
/// row that cannot be written is a warning; the migration stays applied).
/// </summary>
public sealed class MigrationRun
{
    /// <summary>Default of <c>--lock-timeout</c>, in seconds.</summary>
    public const int DefaultLockTimeoutSeconds = 60;

    private readonly CommandOption _noBackup;
    private readonly CommandOption _lockTimeout;
    private readonly BackupOptions _backup;

    private MigrationRun(CommandLineApplication command, BackupOptions backup)
    {
        _noBackup = command.Option("--no-backup", "Do not take a backup first (printed as a warning).", CommandOptionType.NoValue);
        _lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for another run's migration lock. Default: {DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        _backup = backup;
    }

    /// <summary>Adds the options to a command that already has the project options (whose --backup-dir it uses).</summary>
    public static MigrationRun Add(CommandLineApplication command, ProjectOptions options) => new(command, options.Backup);

    /// <summary>Whether <c>--no-backup</c> was given.</summary>
    public bool NoBackup => _noBackup.HasValue();

    /// <summary><c>--lock-timeout</c> (default <see cref="DefaultLockTimeoutSeconds"/>).</summary>
    /// <exception cref="CommandException">Not a whole number of seconds, 0 or more (exit code 2).</exception>
    public TimeSpan LockTimeout => TimeSpan.FromSeconds(ParseLockTimeout());

    /// <summary>Runs the plan to <paramref name="target"/> with the options given.</summary>
    /// <exception cref="CommandException">Bad option values (2) or a failed step (5, with the full message).</exception>
    public async Task<int> ExecuteAsync(ProjectSession session, string? target, Func<MigrationPlan, MigrationPlan>? adjustPlan = null)
    {
        var reporter = session.Reporter;
        var lockTimeout = TimeSpan.FromSeconds(ParseLockTimeout());
        string? folder = null;
        if (_noBackup.HasValue())
        {
            reporter.Warning("--no-backup: no backup will be taken; if a migration fails there is nothing to restore from.");
        }
        else
        {
            folder = _backup.Folder(session.ProjectDir);
        }

        var runner = new PlanRunner(
            session.Migrator,
            session.Database.CreateLock(),
            folder is null ? null : session.Database.CreateBackupProvider(lockTimeout),
            new PlanRunPresenter(reporter, session.Database.Describe()));

        PlanRunResult result;
        try
        {
            result = await runner.RunAsync(new PlanRunOptions(target, lockTimeout, folder, adjustPlan)
            {
                Journal = new JournalRecorder(session.Context, session.Database.CreateJournalProbe(), ToolInfo.Version),
                Checksum = SourceChecksums(session).GetValueOrDefault,
                JournalFailed = failure => reporter.Warning(failure.Message),
            });
        }
        catch (PlanStepFailedException failure)
        {
            throw new CommandException(ExitCodes.ApplyFailed, FailureMessage(session, failure, target), failure);
        }

        var current = session.CurrentMigration();
        if (reporter.Json)
        {
            reporter.JsonDocument(new ApplyResult(
                session.Database.Connection.Database,
                result.Backup?.Path,
                result.Completed.Select(c => new ExecutedStepEntry(c.Step.Action, c.Step.MigrationId, (long)c.Duration.TotalMilliseconds)).ToList(),
                current));
        }

        if (!result.Plan.IsEmpty)
        {
            var total = result.Completed.Sum(c => c.Duration.TotalMilliseconds);
            reporter.Success($"Done: {result.Completed.Count} step(s) in {total:0} ms. {session.Database.Describe()} is at {(current is null ? "no migration" : $"migration '{current}'")}.");
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The hash of each migration's files in the project's working tree, by id, as
    /// <c>check --connection</c> computes it (so the two agree); empty, with a warning, when the
    /// sources cannot be read (the journal then records no checksum). With <c>--no-build</c>
    /// these are the files as they are now, which may differ from the built assembly.
    /// </summary>
    private static IReadOnlyDictionary<string, string> SourceChecksums(ProjectSession session)
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

    private int ParseLockTimeout()
    {
        if (!_lockTimeout.HasValue())
        {
            return DefaultLockTimeoutSeconds;
        }

        return int.TryParse(_lockTimeout.Value(), out var seconds) && seconds >= 0
            ? seconds
            : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{_lockTimeout.Value()}'.");
    }

    private static string FailureMessage(ProjectSession session, PlanStepFailedException failure, string? target)
    {
        var verb = failure.Step.IsRevert ? "revert" : "apply";
        string current;
        try
        {
            current = session.CurrentMigration() is { } id ? $"migration '{id}'" : "no migration";
        }
        catch (Exception)
        {
            current = "an unknown migration (the history table could not be read)";
        }

        var lines = new List<string>
        {
            $"Migration '{failure.Step.MigrationId}' failed to {verb} on {session.Database.Describe()}: {failure.DatabaseError}",
            $"It ran in a transaction and left nothing behind. {failure.Completed.Count} step(s) before it completed in this run and stay done; the database is at {current}.",
        };
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
            lines.Add($"Fix the migration and run 'dotnet safe-migrate apply{(target is null ? string.Empty : " " + Quote(target))}' again to continue from {current}.");
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string Quote(string value) => value.Any(char.IsWhiteSpace) || value.Contains('"', StringComparison.Ordinal) ? $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : value;
}
