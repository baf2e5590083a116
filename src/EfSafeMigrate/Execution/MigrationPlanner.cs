using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Computes a <see cref="MigrationPlan"/> the way EF Core's migrator chooses migrations
/// (<c>Migrator.GetMigrationsToApplyAndRevert</c>): every migration up to and including the
/// target that is not applied is applied, oldest first; every applied migration after the target
/// is reverted, newest first. History rows of migrations the code does not know are left alone.
/// </summary>
internal static class MigrationPlanner
{
    /// <summary>Plans the steps to reach <paramref name="targetMigration"/>.</summary>
    /// <param name="migrations">Migration ids known to the code, oldest first.</param>
    /// <param name="applied">Migration ids recorded in the history table (any order).</param>
    /// <param name="targetMigration">A migration id from <paramref name="migrations"/>, or <c>0</c> for none.</param>
    /// <exception cref="ArgumentException">The target is not one of <paramref name="migrations"/>.</exception>
    public static MigrationPlan Plan(IReadOnlyList<string> migrations, IReadOnlyCollection<string> applied, string targetMigration)
    {
        var targetIndex = -1;
        if (targetMigration != Migration.InitialDatabase)
        {
            targetIndex = IndexOf(migrations, targetMigration);
            if (targetIndex < 0)
            {
                throw new ArgumentException($"The migration '{targetMigration}' is not one of the project's migrations.", nameof(targetMigration));
            }
        }

        var appliedSet = applied as IReadOnlySet<string> ?? new HashSet<string>(applied, StringComparer.Ordinal);
        var steps = new List<MigrationStep>();
        for (var i = migrations.Count - 1; i > targetIndex; i--)
        {
            if (appliedSet.Contains(migrations[i]))
            {
                steps.Add(new MigrationStep(MigrationAction.Revert, migrations[i]));
            }
        }

        for (var i = 0; i <= targetIndex; i++)
        {
            if (!appliedSet.Contains(migrations[i]))
            {
                steps.Add(new MigrationStep(MigrationAction.Apply, migrations[i]));
            }
        }

        return new MigrationPlan(targetMigration, steps);
    }

    private static int IndexOf(IReadOnlyList<string> migrations, string id)
    {
        for (var i = 0; i < migrations.Count; i++)
        {
            if (string.Equals(migrations[i], id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
