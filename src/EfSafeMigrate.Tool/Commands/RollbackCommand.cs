using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Linting;
using McMaster.Extensions.CommandLineUtils;
using Npgsql;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>rollback --to MIGRATION</c>: backup, then revert with the migrations' <c>Down</c>.
/// <c>rollback --backup FILE</c>: restore a backup over the database, after confirmation.
/// </summary>
public static class RollbackCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Revert to a migration with the migrations' Down (--to), or restore a backup over the database (--backup).";
        var to = command.Option("--to <MIGRATION>", "Revert the migrations after MIGRATION (id or name; 0 reverts all), after a backup.", CommandOptionType.SingleValue);
        var backupFile = command.Option("--backup <FILE>", "Restore this backup archive over the database (asks for confirmation; --yes in scripts).", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        var run = MigrationRun.Add(command, options);
        var lint = LintGate.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            if (to.HasValue() == backupFile.HasValue())
            {
                throw new CommandException(ExitCodes.UsageError, "Give exactly one of --to <MIGRATION> and --backup <FILE>.");
            }

            return to.HasValue()
                ? lint.RunAsync(session, OnlyReverts, checkedAdjust => run.ExecuteAsync(session, to.Value(), checkedAdjust))
                : RestoreAsync(session, backupFile.Value()!, options.Yes.HasValue());
        }));
    }

    private static MigrationPlan OnlyReverts(MigrationPlan plan)
    {
        var apply = plan.Steps.FirstOrDefault(s => !s.IsRevert);
        return apply is null
            ? plan
            : throw new CommandException(ExitCodes.UsageError,
                $"Migration '{apply.MigrationId}' is not applied, so rolling back to '{plan.TargetMigration}' would apply it. Use 'dotnet safe-migrate apply {plan.TargetMigration}' to move forward.");
    }

    /// <summary>Restores an archive over the session's database and reports the migration it is at afterwards.</summary>
    public static async Task<int> RestoreAsync(ProjectSession session, string file, bool yes)
    {
        var backup = new BackupCatalog().Open(Path.GetFullPath(file));
        Confirmation.Require(yes,
            $"Replace {session.Database.Describe()} with the backup '{backup.Path}' (taken {backup.Manifest.CreatedUtc:yyyy-MM-dd HH:mm:ss} UTC at {backup.Manifest.HeadMigration ?? "no migration"})? Everything written since is lost.");
        session.Reporter.Info($"Restoring {backup.Path} over {session.Database.Describe()} ...");
        NpgsqlConnection.ClearAllPools();
        await session.Database.CreateBackupProvider().RestoreAsync(backup, intoDatabase: null);
        NpgsqlConnection.ClearAllPools();
        var current = session.CurrentMigration();
        session.Reporter.Success($"Restored. {session.Database.Describe()} is at {(current is null ? "no migration" : $"migration '{current}'")}.");
        if (session.Reporter.Json)
        {
            session.Reporter.JsonDocument(new { database = session.Database.Connection.Database, backup = backup.Path, currentMigration = current });
        }

        return ExitCodes.Success;
    }
}
