using EfSafeMigrate.Backups;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Commands;

/// <summary><c>backup create | list | verify FILE | restore FILE [--into DATABASE] | prune --keep N | cleanup</c>.</summary>
internal static class BackupCommand
{
    /// <summary>Declares the subcommands.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Create, list, verify, restore and prune pg_dump backups.";
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
        var options = ProjectOptions.Add(command);
        var backupOptions = options.Backup;
        command.OnExecute(() => CommandRunner.RunInProject(options, async session =>
        {
            var wait = TimeSpan.FromSeconds(!lockTimeout.HasValue() ? MigrationRun.DefaultLockTimeoutSeconds
                : int.TryParse(lockTimeout.Value(), out var seconds) && seconds >= 0 ? seconds
                : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{lockTimeout.Value()}'."));

            // Connect first: a database that cannot be reached is a configuration error (exit 2), not a failed backup.
            var head = session.CurrentMigration();
            var provider = session.Database.CreateBackupProvider(wait);
            await provider.CheckAvailableAsync();
            var entry = await provider.CreateAsync(backupOptions.Folder(session.ProjectDir), head);
            session.Reporter.Info($"Backup written and verified: {entry.Path} ({entry.Manifest.SizeBytes} bytes).");
            WriteEntry(session.Reporter, entry);
            return ExitCodes.Success;
        }));
    }

    private static void ConfigureList(CommandLineApplication command)
    {
        command.Description = "List the backups in the backup folder, newest first.";
        var options = ProjectOptions.Add(command);
        var backupOptions = options.Backup;
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter =>
        {
            var folder = backupOptions.Folder(CommandRunner.ProjectDirectory(options));
            var scan = new BackupCatalog().Scan(folder);
            foreach (var unreadable in scan.Unreadable)
            {
                reporter.Warning($"{unreadable.Path}: {unreadable.Reason}");
            }

            RestoreLeftoverCheck.WarnForBackupList(reporter, options.Connection.Value(), scan.Entries.Select(e => e.Manifest.Database));

            if (reporter.Json)
            {
                reporter.JsonDocument(scan.Entries.Select(BackupResult.From).ToList());
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns("Backup", "Database", "Head migration", "Size (bytes)", "Created (UTC)");
            foreach (var entry in scan.Entries)
            {
                var m = entry.Manifest;
                table.AddRow(Markup.Escape(m.File), Markup.Escape(m.Database), Markup.Escape(m.HeadMigration ?? "(none)"), m.SizeBytes.ToString(), m.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss"));
            }

            reporter.Data(table);
            reporter.Info($"{scan.Entries.Count} backup(s) in {folder}.");
            return Task.FromResult(ExitCodes.Success);
        }));
    }

    private static void ConfigureVerify(CommandLineApplication command)
    {
        command.Description = "Check a backup: size and SHA-256 against its sidecar, and pg_restore reads the whole archive. Exit 1 on a mismatch or a missing or unreadable sidecar.";
        var file = command.Argument("FILE", "The backup archive (.dump).");
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunLocal(options, async reporter =>
        {
            BackupEntry entry;
            try
            {
                entry = Open(file.Value);
            }
            catch (BackupException ex)
            {
                // A missing archive, or a missing or garbage sidecar: the backup cannot be verified, which is what exit 1 means here.
                throw new CommandException(ExitCodes.ProblemsFound, ex.Message + " The backup cannot be verified.", ex);
            }

            try
            {
                // Verification reads only the archive: no server, no connection string.
                await new PgArchiveVerifier(new PgTools()).VerifyAsync(entry);
            }
            catch (BackupException ex)
            {
                throw new CommandException(ExitCodes.ProblemsFound, ex.Message, ex);
            }

            reporter.Success($"Verified: {entry.Path} ({entry.Manifest.SizeBytes} bytes, SHA-256 {entry.Manifest.Sha256}).");
            if (reporter.Json)
            {
                WriteEntry(reporter, entry);
            }

            return ExitCodes.Success;
        }));
    }

    private static void ConfigureRestore(CommandLineApplication command)
    {
        command.Description = "Restore a backup into a new database (--into), or over the project's database (backs it up first, asks for confirmation).";
        var file = command.Argument("FILE", "The backup archive (.dump).");
        var into = command.Option("--into <DATABASE>", "Restore into this new database (it must not exist) on the same server.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        var restore = RestoreRun.Add(command, options);
        command.OnExecute(() => CommandRunner.RunInProject(options, async session =>
        {
            if (!into.HasValue())
            {
                return await restore.ExecuteAsync(session, Open(file.Value).Path);
            }

            var entry = Open(file.Value);
            session.Reporter.Info($"Restoring {entry.Path} into the new database \"{into.Value()}\" ...");
            await session.Database.CreateBackupProvider().RestoreAsync(entry, into.Value());
            session.Reporter.Success($"Restored into database \"{into.Value()}\" (at {entry.Manifest.HeadMigration ?? "no migration"}).");
            return ExitCodes.Success;
        }));
    }

    private static void ConfigurePrune(CommandLineApplication command)
    {
        command.Description = "Delete old backups: keep the newest N (per database), optionally only deleting those older than D days; also partial archives left by a backup that did not finish.";
        var keep = command.Option("--keep <N>", "How many backups to keep per database (required).", CommandOptionType.SingleValue);
        var olderThan = command.Option("--older-than <DAYS>", "Only delete backups older than this many days.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        var backupOptions = options.Backup;
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

            var folder = backupOptions.Folder(CommandRunner.ProjectDirectory(options));
            var catalog = new BackupCatalog();
            var deleted = catalog.List(folder).Select(e => e.Manifest.Database).Distinct(StringComparer.Ordinal)
                .SelectMany(database => catalog.Prune(folder, count, age, database))
                .ToList();
            foreach (var entry in deleted)
            {
                reporter.Info($"Deleted {entry.Path}");
            }

            // Partial archives left by a killed backup; one being written is held open by its backup and kept.
            var (partials, held) = catalog.PrunePartials(folder);
            foreach (var partial in partials)
            {
                reporter.Info($"Deleted {partial} (left by a backup that did not finish)");
            }

            foreach (var partial in held)
            {
                reporter.Info($"Kept {partial}: a backup is writing it now.");
            }

            reporter.Success($"{deleted.Count} backup(s) deleted from {folder}.");
            if (reporter.Json)
            {
                reporter.JsonDocument(deleted.Select(e => e.Path).ToList());
            }

            return Task.FromResult(ExitCodes.Success);
        }));
    }

    private static BackupEntry Open(string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            throw new CommandException(ExitCodes.UsageError, "Name the backup archive (.dump). 'dotnet safe-migrate backup list' lists them.");
        }

        return new BackupCatalog().Open(Path.GetFullPath(file));
    }

    private static void WriteEntry(Reporter reporter, BackupEntry entry)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(BackupResult.From(entry));
        }
        else
        {
            reporter.Text(entry.Path + Environment.NewLine);
        }
    }
}
