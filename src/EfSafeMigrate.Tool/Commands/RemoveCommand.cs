using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>remove</c>: removes the newest migration as <c>dotnet ef migrations remove</c> does (EF Core
/// Design deletes its files and reverts the model snapshot), then rewrites the folder's
/// <c>safe-migrate.sum</c> (deleted with the last migration). A migration the database has applied
/// is refused (exit 2); with <c>--force</c> it is reverted first, as EF Core does, but through the
/// tool's own path: under the migration lock, after a verified backup, in EF Core's transaction.
/// </summary>
internal static class RemoveCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Remove the newest migration (as 'dotnet ef migrations remove') and update safe-migrate.sum.";
        var force = command.Option("-f|--force", "Revert the migration if the database has applied it (after a backup), or remove it without checking when the database cannot be reached.", CommandOptionType.NoValue);
        var noBackup = command.Option("--no-backup", "With --force: do not take a backup before reverting (printed as a warning).", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command);
        var backup = options.Backup;
        command.OnExecute(() => CommandRunner.RunInProject(options, async session =>
        {
            var reporter = session.Reporter;
            var files = MigrationFiles.For(session.ProjectDir);
            var candidate = MigrationsOperationsFactory.MigrationToRemove(session.Migrator);
            if (AddCommand.RefuseOnIntegrityErrors(files, options.Context.Value(), reporter, "Not removing the newest migration", f => Resolves(f, candidate?.Id, session.Migrator.Migrations)) is { } refused)
            {
                return refused;
            }

            if (candidate is { } migration && IsApplied(session, migration.Id, force.HasValue()))
            {
                if (!force.HasValue())
                {
                    throw new CommandException(ExitCodes.UsageError,
                        $"The migration '{migration.Id}' has already been applied to {session.Database.Describe()}, so it cannot be removed. " +
                        $"Revert it first with 'dotnet safe-migrate rollback --to {migration.Previous}' (backup first), then remove it; or run 'dotnet safe-migrate remove --force', which does both. " +
                        "If it has been applied to other databases too, consider undoing its changes with a new migration instead.");
                }

                await RevertAsync(session, migration.Id, migration.Previous, noBackup.HasValue() ? null : backup.Folder(session.ProjectDir));
            }

            var removed = MigrationsOperationsFactory.RemoveMigration(CommandRunner.Inner!, reporter, options.Context.Value(), force.HasValue(), options.Connection.Value());

            HashCommand.Write(files, reporter);
            DeleteOrphanedSumFile(files, removed.MigrationFile, reporter);

            if (reporter.Json)
            {
                reporter.JsonDocument(new { migrationFile = removed.MigrationFile, metadataFile = removed.MetadataFile, snapshotFile = removed.SnapshotFile });
            }

            return ExitCodes.Success;
        }));
    }

    // Findings removing may resolve and so do not block it: a fork or several heads (check's fix is
    // to remove one branch's migration and add it again on top), an edit of the migration it
    // deletes, and migrations whose files are already gone and that were newer than every remaining
    // one (deleted by hand; EF Core then only reverts the snapshot). An older deletion still blocks.
    private static bool Resolves(Finding finding, string? removedId, IReadOnlyList<string> remaining) => finding.Code switch
    {
        FindingCodes.Fork or FindingCodes.MultipleHeads => true,
        FindingCodes.MigrationEdited => removedId is not null && finding.Migrations.Count == 1 && finding.Migrations[0] == removedId,
        FindingCodes.MigrationRemoved => finding.Migrations.Count > 0 && finding.Migrations.All(id => remaining.All(r => string.CompareOrdinal(id, r) > 0)),
        _ => false,
    };

    // EF Core's check (the history table), made before EF Core's own so that the refusal names the fix
    // and --force reverts through the safe path. With --force an unreachable database is left to EF
    // Core, which warns and removes the files without reverting.
    private static bool IsApplied(ProjectSession session, string migrationId, bool force)
    {
        try
        {
            return session.Migrator.GetAppliedMigrations().Contains(migrationId, StringComparer.OrdinalIgnoreCase);
        }
        catch (Exception ex) when (DatabaseServices.IsConnectionError(ex))
        {
            if (force)
            {
                session.Reporter.Detail($"Cannot connect to {session.Database.Describe()}: {MigrationExecutionException.DatabaseError(ex)}");
                return false;
            }

            throw new CommandException(ExitCodes.UsageError,
                $"Cannot connect to {session.Database.Describe()} to check whether '{migrationId}' has been applied: {MigrationExecutionException.DatabaseError(ex)}. " +
                "Check the connection string (--connection or the application's configuration), or use --force to remove the files without checking (nothing is reverted then).", ex);
        }
    }

    private static async Task RevertAsync(ProjectSession session, string migrationId, string previous, string? backupFolder)
    {
        var reporter = session.Reporter;
        var database = session.Database.Describe();
        reporter.Info($"Migration '{migrationId}' is applied to {database}: reverting it first (--force).");
        if (backupFolder is null)
        {
            reporter.Warning("--no-backup: no backup will be taken; if reverting goes wrong there is nothing to restore from.");
        }

        var runner = new PlanRunner(
            session.Migrator,
            session.Database.CreateLock(),
            backupFolder is null ? null : session.Database.CreateBackupProvider(TimeSpan.FromSeconds(MigrationRun.DefaultLockTimeoutSeconds)),
            new PlanRunPresenter(reporter, database));
        try
        {
            await runner.RunAsync(new PlanRunOptions(
                previous, TimeSpan.FromSeconds(MigrationRun.DefaultLockTimeoutSeconds), backupFolder, plan => OnlyRevertOf(plan, migrationId)));
        }
        catch (PlanStepFailedException failure)
        {
            throw new CommandException(ExitCodes.ApplyFailed,
                $"Reverting migration '{migrationId}' failed on {database}: {failure.DatabaseError}. It ran in a transaction and left nothing behind; no file was removed." +
                (failure.Backup is { } taken ? $" Backup taken before: {taken.Path}." : string.Empty) +
                " Fix its Down (dotnet safe-migrate script shows the SQL), then run 'dotnet safe-migrate remove --force' again.", failure);
        }
    }

    // EF Core's migrator would also apply earlier pending migrations on its way to the previous one;
    // the tool reverts only the migration being removed.
    private static MigrationPlan OnlyRevertOf(MigrationPlan plan, string migrationId)
    {
        var other = plan.Steps.FirstOrDefault(s => !(s.IsRevert && s.MigrationId == migrationId));
        return other is null
            ? plan
            : throw new CommandException(ExitCodes.UsageError,
                $"Reverting '{migrationId}' would also {(other.IsRevert ? "revert" : "apply")} '{other.MigrationId}' (the database's history is not a prefix of the migrations). Nothing was changed. " +
                $"See 'dotnet safe-migrate plan {plan.TargetMigration}', bring the database there with 'dotnet safe-migrate apply' or 'rollback', then run 'dotnet safe-migrate remove' again.");
    }

    // With its last migration gone, a folder's integrity file describes nothing; hash skips empty folders.
    private static void DeleteOrphanedSumFile(MigrationFiles files, string? removedMigrationFile, Reporter reporter)
    {
        if (removedMigrationFile is null)
        {
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(removedMigrationFile))!;
        var sumPath = Path.Combine(folder, SumFile.FileName);
        if (!File.Exists(sumPath))
        {
            return;
        }

        var relative = Path.GetRelativePath(files.Root, folder).Replace('\\', '/');
        var remaining = MigrationFolder.From(files.FromWorkingTree()).FirstOrDefault(f => f.Folder == (relative == "." ? string.Empty : relative));
        if (remaining is null || remaining.Migrations.Count == 0)
        {
            File.Delete(sumPath);
            reporter.Info($"Deleted {Path.GetRelativePath(Directory.GetCurrentDirectory(), sumPath)}: no migration is left in its folder.");
        }
    }
}
