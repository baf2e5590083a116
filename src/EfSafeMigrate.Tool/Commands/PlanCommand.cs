using EfSafeMigrate.Execution;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Commands;

/// <summary><c>plan [TARGET]</c>: the ordered migrations that would be applied or reverted, each with a summary of its operations and the PostgreSQL locks it takes; destructive steps (dropped tables and columns, narrowing changes, deleting SQL) are flagged below the table with the rows they lose in the database now. Changes nothing.</summary>
internal static class PlanCommand
{
    /// <summary>Declares the command's arguments and options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Show the migrations that apply (or rollback) would run to reach TARGET, in order. Changes nothing.";
        var target = command.Argument("TARGET", "Target migration id or name; 0 means none. Default: the newest.");
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session => Task.FromResult(Execute(session, target.Value))));
    }

    private static int Execute(ProjectSession session, string? target)
    {
        var plan = session.Migrator.Plan(target);
        var steps = plan.Steps.Select(step =>
        {
            var migration = session.Migrator.GetMigration(step.MigrationId);
            var operations = step.IsRevert ? migration.DownOperations : migration.UpOperations;
            return new PlanStepEntry(step.Action, step.MigrationId, OperationSummary.Describe(operations)) { OperationLocks = OperationLocks.Describe(operations) };
        }).ToList();
        if (session.Reporter.Json)
        {
            session.Reporter.JsonDocument(new PlanResult(plan.TargetMigration, steps));
            return ExitCodes.Success;
        }

        if (plan.IsEmpty)
        {
            session.Reporter.Info($"Nothing to do: {session.Database.Describe()} is already at {(plan.TargetMigration == "0" ? "no migration" : $"migration '{plan.TargetMigration}'")}.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("#", "Action", "Migration", "Operations", "Locks");
        for (var i = 0; i < steps.Count; i++)
        {
            table.AddRow((i + 1).ToString(), steps[i].Action == MigrationAction.Apply ? "[green]apply[/]" : "[yellow]revert[/]", Markup.Escape(steps[i].Migration), Markup.Escape(steps[i].Operations), Markup.Escape(LockSummary.Of(steps[i].OperationLocks)));
        }

        session.Reporter.Data(table);
        DestructivePresenter.PlanLines(session.Reporter, DestructiveSteps.Find(session, plan), session.Database.Describe());
        session.Reporter.Info($"{steps.Count} step(s) to reach {(plan.TargetMigration == "0" ? "no migration" : plan.TargetMigration)} on {session.Database.Describe()}. Nothing was changed.");
        return ExitCodes.Success;
    }
}
