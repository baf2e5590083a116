using EfSafeMigrate.Backups;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Tool.Output.Progress;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// What <c>rollback --backup FILE</c> and <c>backup restore FILE</c> (without <c>--into</c>) share: the options
/// (<c>--from-other-database</c>; <c>--no-backup</c> and <c>--lock-timeout</c>, from <see cref="MigrationRun"/> when the
/// command has it; <c>--jobs</c> for <c>pg_restore --jobs</c>), the refusal of a restore point (<see cref="RestorePointRefusal"/>), the check that the backup is of this database, the confirmation naming both, and the restore through
/// <see cref="IBackupProvider.ReplaceAsync"/> (lock, backup first, atomic swap).
/// </summary>
internal sealed class RestoreRun
{
    private readonly CommandOption _fromOtherDatabase;
    private readonly CommandOption _jobs;
    private readonly CommandOption? _noBackup;
    private readonly CommandOption? _lockTimeout;
    private readonly MigrationRun? _run;
    private readonly ProjectOptions _options;

    private RestoreRun(CommandLineApplication command, ProjectOptions options, MigrationRun? run)
    {
        _options = options.AddBackupDir().AddYes();
        _run = run;
        _fromOtherDatabase = command.Option("--from-other-database", "Allow restoring a backup of another database (the sidecar's database) over this one.", CommandOptionType.NoValue);
        _jobs = command.Option("--jobs <N>",
            $"pg_restore's parallel jobs (pg_restore --jobs; custom-format files and directory archives both allow it). Default: the number of processors ({BackupStrategyOptions.DefaultJobs}).",
            CommandOptionType.SingleValue);
        if (run is null)
        {
            _noBackup = command.Option("--no-backup", "Do not back up the database before restoring over it (the restore cannot be undone then).", CommandOptionType.NoValue);
            _lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for the migration lock (a running apply). Default: {MigrationRun.DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        }
    }

    /// <summary>Adds the options; <paramref name="run"/> is the command's <see cref="MigrationRun"/> when it has one (its --no-backup and --lock-timeout are used).</summary>
    public static RestoreRun Add(CommandLineApplication command, ProjectOptions options, MigrationRun? run = null) => new(command, options, run);

    /// <summary><c>--jobs</c>: pg_restore's parallel jobs, default <see cref="BackupStrategyOptions.DefaultJobs"/>.</summary>
    /// <exception cref="CommandException">Not a whole number of 1 or more (exit code 2).</exception>
    public int Jobs => BackupStrategyOptions.ParseJobs(_jobs, "--jobs");

    private bool NoBackup => _run?.NoBackup ?? _noBackup!.HasValue();

    private TimeSpan LockTimeout
    {
        get
        {
            if (_run is not null)
            {
                return _run.LockTimeout;
            }

            if (!_lockTimeout!.HasValue())
            {
                return TimeSpan.FromSeconds(MigrationRun.DefaultLockTimeoutSeconds);
            }

            return int.TryParse(_lockTimeout.Value(), out var seconds) && seconds >= 0
                ? TimeSpan.FromSeconds(seconds)
                : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{_lockTimeout.Value()}'.");
        }
    }

    /// <summary>Restores <paramref name="file"/> over the session's database and reports the migration it is at afterwards.</summary>
    /// <exception cref="CommandException">A backup of another database without --from-other-database (1), not confirmed (1 or 3), bad options (2).</exception>
    public async Task<int> ExecuteAsync(ProjectSession session, string file)
    {
        var reporter = session.Reporter;
        var backup = new BackupCatalog().Open(Path.GetFullPath(file));
        var target = session.Database.Connection.Database;
        var lockTimeout = LockTimeout;
        var jobs = Jobs;
        RestorePointRefusal.ThrowIfRestorePoint(backup);
        try
        {
            BackupOfOtherDatabaseException.ThrowIfOther(backup, target, _fromOtherDatabase.HasValue());
        }
        catch (BackupOfOtherDatabaseException refused)
        {
            throw new CommandException(ExitCodes.ProblemsFound, refused.Message, refused);
        }

        var of = backup.Manifest.Database == target ? "" : $" of database \"{backup.Manifest.Database}\"";
        var afterwards = NoBackup
            ? "Everything written since is lost (--no-backup: no backup is taken first)."
            : $"A backup of \"{target}\" is taken first, so this can be undone.";
        Confirmation.Require(_options.Yes.HasValue(),
            $"Replace {session.Database.Describe()} with the backup '{backup.Path}'{of} (taken {backup.Manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC at {backup.Manifest.HeadMigration ?? "no migration"})? {afterwards}");

        string? head = null;
        if (!NoBackup)
        {
            try
            {
                head = session.CurrentMigration();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // The database does not exist (then nothing is backed up) or has no readable history: the name says "empty".
                reporter.Detail($"Could not read the applied migrations before the restore: {ex.Message}");
            }
        }

        var backupFolder = NoBackup ? null : _options.Backup.FolderToWrite(session.ProjectDir, reporter); // warns before the progress starts
        reporter.Info($"Restoring {backup.Path} over {session.Database.Describe()} ...");
        NpgsqlConnection.ClearAllPools();
        RestoreOverResult result;
        using (var live = LiveProgress.Start(reporter))
        {
            var provider = BackupProgressView.Attach(session.Database.CreateBackupProvider(lockTimeout, jobs), live,
                $"Backing up \"{target}\" before the restore", $"Restoring {Path.GetFileName(backup.Path)}");
            result = await provider.ReplaceAsync(backup, new RestoreOverOptions
            {
                LockTimeout = lockTimeout,
                WaitingForLock = reporter.Info,
                BackupFolder = backupFolder,
                HeadMigration = head,
                Progress = step =>
                {
                    if (step == "backup")
                    {
                        reporter.Info($"Backing up \"{target}\" before the restore ...");
                    }
                },
            });
        }

        NpgsqlConnection.ClearAllPools();

        if (result.BackupBefore is { } before)
        {
            reporter.Info($"Backup of \"{target}\" as it was before the restore: {before.Path}");
        }

        if (result.LeftOver is { } old)
        {
            reporter.Warning($"The restore is complete, but the previous copy of the database, \"{old}\", could not be dropped ({result.LeftOverReason}). Drop it with: {RestoreLeftoverCheck.CleanupCommand}");
        }

        var current = session.CurrentMigration();
        reporter.Success($"Restored. {session.Database.Describe()} is at {(current is null ? "no migration" : $"migration '{current}'")}.");
        if (result.BackupBefore is { } undo)
        {
            reporter.Info($"To undo this restore: dotnet safe-migrate rollback --backup \"{undo.Path}\"");
        }

        if (reporter.Json)
        {
            reporter.JsonDocument(new RestoreResult(target, backup.Path, result.BackupBefore?.Path, current));
        }

        return ExitCodes.Success;
    }
}
