using System.Data.Common;
using EfSafeMigrate.Destructive;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Linting;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// The destructive steps of a plan, for <c>plan</c> (flags) and <c>rollback --to</c> (the confirmation): each apply step's
/// <c>Up</c>, each revert step's <c>Down</c> (fakes run nothing). Counts come from the session's database as it is now
/// (<see cref="LintInputs.Database"/>: none when it does not exist yet); a database that cannot be read for counts gives
/// the flags without counts (a <c>--verbose</c> detail says why), and a <c>Down</c> that throws is left to the run, which
/// refuses it before anything changes.
/// </summary>
internal static class DestructiveSteps
{
    /// <summary>The steps of <paramref name="plan"/> that lose data, in plan order.</summary>
    public static IReadOnlyList<DestructiveStep> Find(ProjectSession session, MigrationPlan plan)
    {
        var executed = plan.Steps.Select((step, index) => (Step: step, Number: index + 1))
            .Where(s => s.Step.Action is MigrationAction.Apply or MigrationAction.Revert).ToList();
        if (executed.Count == 0)
        {
            return [];
        }

        ILintDatabase? database;
        try
        {
            database = new LintInputs(session).Database();
        }
        catch (DbException ex)
        {
            session.Reporter.Detail($"Could not read {session.Database.Describe()} to count the rows destructive steps lose: {ex.Message}");
            database = null;
        }

        var found = new List<DestructiveStep>();
        foreach (var (step, number) in executed)
        {
            var migration = session.Migrator.GetMigration(step.MigrationId);
            IReadOnlyList<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation> operations;
            try
            {
                operations = step.IsRevert ? migration.DownOperations : migration.UpOperations;
            }
            catch (Exception ex) when (ex is NotSupportedException or NotImplementedException or InvalidOperationException)
            {
                continue; // an irreversible Down: the run refuses it before anything changes
            }

            IReadOnlyList<DestructiveChange> changes;
            try
            {
                changes = DestructiveChanges.Find(operations, database);
            }
            catch (DbException ex)
            {
                session.Reporter.Detail($"Could not count the rows '{step.MigrationId}' loses on {session.Database.Describe()}: {ex.Message}");
                changes = DestructiveChanges.Find(operations, null);
            }

            if (changes.Count > 0)
            {
                found.Add(new DestructiveStep(number, step, changes));
            }
        }

        return found;
    }

    /// <summary>
    /// Refuses a run whose plan under the lock is not the plan that was confirmed (another run changed the database in
    /// between), so nothing runs that was not shown. Returns <paramref name="current"/> when the steps are the same.
    /// </summary>
    /// <exception cref="CommandException">The steps differ (exit 1, nothing changed).</exception>
    public static MigrationPlan RequireSame(MigrationPlan current, MigrationPlan confirmed, string database, string command)
        => current.Steps.SequenceEqual(confirmed.Steps)
            ? current
            : throw new CommandException(ExitCodes.ProblemsFound,
                $"The migrations of {database} changed after the confirmation (another run applied or reverted migrations): the steps to run are no longer those shown. Nothing was changed. Run '{command}' again to see the new steps.");
}
