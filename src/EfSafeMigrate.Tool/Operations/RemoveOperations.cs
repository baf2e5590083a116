#pragma warning disable EF1001 // MigrationsOperations and the scaffolder are EF Core Design's, the ones dotnet ef uses.
using EfSafeMigrate.Execution;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using EfMigrationFiles = Microsoft.EntityFrameworkCore.Migrations.Design.MigrationFiles;
using MigrationFiles = EfSafeMigrate.Tool.Integrity.MigrationFiles;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>remove</c>: removes the newest migration as <c>dotnet ef migrations remove</c> does (EF Core
/// Design deletes its files and reverts the model snapshot), then rewrites the folder's
/// <c>safe-migrate.sum</c> (deleted with the last migration). A migration the database has applied
/// is refused (exit 2); with <c>--force</c> it is reverted first, as EF Core does, but through the
/// tool's own path: under the migration lock, after a verified backup, in EF Core's transaction.
/// </summary>
internal static class RemoveOperations
{
    /// <summary>Removes the newest migration and updates the integrity file.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextName">The <c>--context</c> option, or null.</param>
    /// <param name="connection">The <c>--connection</c> option, or null.</param>
    /// <param name="force">The <c>--force</c> option.</param>
    /// <param name="backupFolder">Where to write the backup before a forced revert, or null for <c>--no-backup</c>.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">Refused (applied without --force, unreachable database, EF Core's refusals; exit code 2), or the revert failed (exit code 5).</exception>
    public static async Task<int> RemoveAsync(ProjectSession session, string? contextName, string? connection, bool force, string? backupFolder)
    {
        var reporter = session.Reporter;
        var files = MigrationFiles.For(session.ProjectDir);
        var candidate = MigrationToRemove(session.Migrator);
        if (IntegrityGate.RefuseOnIntegrityErrors(files, contextName, reporter, "Not removing the newest migration", f => Resolves(f, candidate?.Id, session.Migrator.Migrations)) is { } refused)
        {
            return refused;
        }

        if (candidate is { } migration && IsApplied(session, migration.Id, force))
        {
            if (!force)
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"The migration '{migration.Id}' has already been applied to {session.Database.Describe()}, so it cannot be removed. " +
                    $"Revert it first with 'dotnet safe-migrate rollback --to {migration.Previous}' (backup first), then remove it; or run 'dotnet safe-migrate remove --force', which does both. " +
                    "If it has been applied to other databases too, consider undoing its changes with a new migration instead.");
            }

            await RevertAsync(session, migration.Id, migration.Previous, backupFolder);
        }

        var removed = RemoveMigration(session.Design, contextName, force, connection);

        var sumFiles = new SumFiles(files, reporter);
        sumFiles.WriteAll();
        if (removed.MigrationFile is not null)
        {
            sumFiles.DeleteOrphaned([Path.GetDirectoryName(Path.GetFullPath(removed.MigrationFile))!]);
        }

        if (reporter.Json)
        {
            reporter.JsonDocument(new MigrationFilesResult(removed.MigrationFile, removed.MetadataFile, removed.SnapshotFile));
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// The migration <see cref="RemoveMigration"/> would delete, by EF Core's rule: the newest
    /// migration of the migrations assembly, when its target model matches the model snapshot's;
    /// null when there is no migration or no snapshot, or when they differ (then EF Core only
    /// reverts the snapshot).
    /// </summary>
    /// <param name="migrator">The migrator of the session's context.</param>
    /// <returns>The migration id and the id of the migration before it (<c>0</c> when it is the first).</returns>
    /// <remarks>
    /// Finalizes the snapshot model cached by that context's migrations assembly, after which EF Core's
    /// scaffolder can no longer use the context (it fails in GetRelationalModel): <see cref="RemoveMigration"/>
    /// therefore always works on a context of its own.
    /// </remarks>
    private static (string Id, string Previous)? MigrationToRemove(SafeMigrator migrator)
    {
        var ids = migrator.Migrations;
        var snapshot = migrator.GetSnapshotModel();
        if (ids.Count == 0 || snapshot is null)
        {
            return null;
        }

        var newest = ids[^1];
        var target = migrator.GetTargetModel(newest);
        var differ = migrator.Context.GetService<IMigrationsModelDiffer>();
        if (target is null || differ.HasDifferences(target.GetRelationalModel(), snapshot.GetRelationalModel()))
        {
            return null;
        }

        return (newest, ids.Count > 1 ? ids[^2] : Migration.InitialDatabase);
    }

    /// <summary>
    /// Removes the newest migration as <c>dotnet ef migrations remove</c> does
    /// (<see cref="MigrationsOperations.RemoveMigration"/> in EF Core 10): deletes its migration and
    /// designer files and reverts the model snapshot to the migration before it (deletes it when
    /// none is left). When the newest migration does not match the snapshot (its files were
    /// already deleted by hand), only the snapshot is reverted. EF Core refuses to remove a
    /// migration the database has applied unless <paramref name="force"/>; with it, EF Core reverts
    /// the migration first, and when the database cannot be reached it warns and removes the files.
    /// </summary>
    /// <param name="design">The project's design host.</param>
    /// <param name="contextType">The <c>--context</c> option, or null.</param>
    /// <param name="force">The <c>--force</c> option.</param>
    /// <param name="connection">
    /// The <c>--connection</c> option. Null: EF Core creates the context with the application's own
    /// connection. Given: EF Core 10's <c>RemoveMigration</c> takes no connection string, so its same
    /// steps run here on a context created by <see cref="DesignHost.CreateContext"/> with this connection, and
    /// that is the database checked (and reverted with <paramref name="force"/>).
    /// </param>
    /// <returns>The files deleted (the snapshot file only when it was deleted rather than rewritten).</returns>
    /// <exception cref="CommandException">EF Core refused: no snapshot, the migration is applied (without force), non-relational provider, migrations assembly mismatch (exit code 2).</exception>
    private static EfMigrationFiles RemoveMigration(DesignHost design, string? contextType, bool force, string? connection)
    {
        try
        {
            if (string.IsNullOrEmpty(connection))
            {
                return design.CreateMigrationsOperations().RemoveMigration(contextType, force, dryRun: false);
            }

            // EF Core 10's MigrationsOperations.RemoveMigration, on a context with the connection. A
            // fresh one: the scaffolder must see the migrations assembly and snapshot as EF Core made them.
            using var context = design.CreateContext(contextType, connection);
            var services = design.CreateMigrationServices(context);
            using var scope = services.CreateScope();
            var scaffolder = scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>();
            var files = scaffolder.RemoveMigration(design.Project.ProjectDir, design.Project.RootNamespace, force, DesignHost.Language, dryRun: false);
            design.OperationReporter.WriteInformation(DesignStrings.Done);
            return files;
        }
        catch (OperationException ex)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot remove the newest migration of '{design.Project.Project}': {ex.Message}", ex);
        }
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
}
