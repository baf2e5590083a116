using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>backup create | list | verify FILE | restore FILE [--into DATABASE] | prune --keep N | cleanup</c>
/// (<see cref="BackupOperations"/>, <see cref="RestoreRun"/>, <see cref="BackupCleanup"/>).
/// </summary>
internal static class BackupCommand
{
    /// <summary>Declares the subcommands.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Create, list, verify, restore and prune backups (pg_dump archives and restore points).";
        command.Command("create", ConfigureCreate);
        command.Command("list", ConfigureList);
        command.Command("verify", ConfigureVerify);
        command.Command("restore", ConfigureRestore);
        command.Command("prune", ConfigurePrune);
        command.Command("cleanup", BackupCleanup.Configure);
        command.OnExecute(() =>
        {
            command.ShowHelp();
            return ExitCodes.UsageError;
        });
    }

    private static void ConfigureCreate(CommandLineApplication command)
    {
        command.Description = "Write a verified backup of the database now.";
        var lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long pg_dump waits for a table lock held by another session (--lock-wait-timeout). Default: {MigrationRun.DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command).AddBackupDir();
        var strategy = BackupStrategyOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            var wait = TimeSpan.FromSeconds(!lockTimeout.HasValue() ? MigrationRun.DefaultLockTimeoutSeconds
                : int.TryParse(lockTimeout.Value(), out var seconds) && seconds >= 0 ? seconds
                : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{lockTimeout.Value()}'."));
            return BackupOperations.CreateAsync(session, options.Backup.FolderToWrite(session.ProjectDir, session.Reporter), strategy.CreateProvider(session.Database, wait));
        }));
    }

    private static void ConfigureList(CommandLineApplication command)
    {
        command.Description = "List the backups in the backup folder, newest first.";
        var options = ProjectOptions.AddLocal(command, LocalOptions.Connection).AddBackupDir();
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
            Task.FromResult(BackupOperations.List(reporter, options.Backup.Folder(CommandRunner.ProjectDirectory(options)), options.Connection.Value()))));
    }

    private static void ConfigureVerify(CommandLineApplication command)
    {
        command.Description = "Check a backup: size and SHA-256 against its sidecar, and pg_restore reads the whole archive. Exit 1 on a mismatch or a missing or unreadable sidecar.";
        var file = command.Argument("FILE", "The backup (a .dump file, a .dir folder, or a .restore-point record).");
        var options = ProjectOptions.AddLocal(command);
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter => BackupOperations.VerifyAsync(reporter, file.Value)));
    }

    private static void ConfigureRestore(CommandLineApplication command)
    {
        command.Description = "Restore a backup into a new database (--into), or over the project's database (backs it up first, asks for confirmation).";
        var file = command.Argument("FILE", "The backup (a .dump file or a .dir folder; a .restore-point prints the recovery procedure).");
        var into = command.Option("--into <DATABASE>", "Restore into this new database (it must not exist) on the same server.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        var restore = RestoreRun.Add(command, options);
        command.OnExecute(() => CommandRunner.RunInProject(options, session => into.HasValue()
            ? BackupOperations.RestoreIntoAsync(session, file.Value, into.Value()!, restore.Jobs)
            : restore.ExecuteAsync(session, BackupOperations.Open(file.Value).Path)));
    }

    private static void ConfigurePrune(CommandLineApplication command)
    {
        command.Description = "Delete old backups: keep the newest N (per database), optionally only deleting those older than D days; also partial archives left by a backup that did not finish.";
        var keep = command.Option("--keep <N>", "How many backups to keep per database (required).", CommandOptionType.SingleValue);
        var olderThan = command.Option("--older-than <DAYS>", "Only delete backups older than this many days.", CommandOptionType.SingleValue);
        var options = ProjectOptions.AddLocal(command).AddBackupDir();
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
        {
            if (!int.TryParse(keep.Value(), out var count) || count < 0)
            {
                throw new CommandException(ExitCodes.UsageError, "backup prune needs --keep N (a whole number, 0 or more).");
            }

            TimeSpan? age = null;
            if (olderThan.HasValue())
            {
                age = double.TryParse(olderThan.Value(), System.Globalization.CultureInfo.InvariantCulture, out var days) && days >= 0
                    ? TimeSpan.FromDays(days)
                    : throw new CommandException(ExitCodes.UsageError, $"--older-than takes a number of days, not '{olderThan.Value()}'.");
            }

            return Task.FromResult(BackupOperations.Prune(reporter, options.Backup.Folder(CommandRunner.ProjectDirectory(options)), count, age));
        }));
    }
}
