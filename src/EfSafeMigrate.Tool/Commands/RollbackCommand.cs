using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Linting;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>rollback --to MIGRATION</c>: backup, then revert with the migrations' <c>Down</c>; when a <c>Down</c> loses data
/// (<see cref="DestructiveSteps"/>) it is named, with the rows, and confirmed first (<c>--yes</c> in scripts).
/// <c>rollback --backup FILE</c>: restore a backup over the database, after confirmation.
/// </summary>
internal static class RollbackCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Revert to a migration with the migrations' Down (--to), or restore a backup over the database (--backup).";
        var to = command.Option("--to <MIGRATION>", "Revert the migrations after MIGRATION (id or name; 0 reverts all), after a backup.", CommandOptionType.SingleValue);
        var backupFile = command.Option("--backup <FILE>", "Restore this backup archive over the database, after backing it up (asks for confirmation; --yes in scripts).", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        var run = MigrationRun.Add(command, options);
        var restore = RestoreRun.Add(command, options, run);
        var lint = LintGate.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            if (to.HasValue() == backupFile.HasValue())
            {
                throw new CommandException(ExitCodes.UsageError, "Give exactly one of --to <MIGRATION> and --backup <FILE>.");
            }

            if (!to.HasValue())
            {
                return restore.ExecuteAsync(session, backupFile.Value()!);
            }

            // The Downs that lose data are shown, and confirmed, before the lock is taken; under the lock the plan must be the one confirmed.
            var confirmed = OnlyReverts(session.Migrator.Plan(to.Value()));
            var destructive = DestructiveSteps.Find(session, confirmed);
            if (destructive.Count > 0)
            {
                DestructivePresenter.Warnings(session.Reporter, destructive);
                Confirmation.Require(options.Yes.HasValue(), DestructivePresenter.Question(destructive, !run.NoBackup));
            }

            var command = $"dotnet safe-migrate rollback --to {to.Value()}";
            return lint.RunAsync(session, plan => DestructiveSteps.RequireSame(OnlyReverts(plan), confirmed, session.Database.Describe(), command),
                checkedAdjust => run.ExecuteAsync(session, to.Value(), checkedAdjust));
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
}
