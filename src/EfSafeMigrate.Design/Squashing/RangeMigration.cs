using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>One migration of a squash range as EF Core builds it: its Up and Down operations and its target model.</summary>
/// <param name="Id">The migration id.</param>
/// <param name="Up">The operations of its <c>Up</c>, in order.</param>
/// <param name="Down">The operations of its <c>Down</c>, in order.</param>
/// <param name="TargetModel">Its target model (finalized, see <see cref="SafeMigrator.GetTargetModel"/>).</param>
public sealed record RangeMigration(string Id, IReadOnlyList<MigrationOperation> Up, IReadOnlyList<MigrationOperation> Down, IModel TargetModel)
{
    /// <summary>Loads a migration of the range.</summary>
    /// <exception cref="SquashRefusedException">It has no designer (no target model), or its Up or Down throws.</exception>
    public static RangeMigration Load(SafeMigrator migrator, string id)
    {
        var migration = migrator.GetMigration(id);
        var model = TargetModelPresence.HasTargetModel(migration) ? migrator.GetTargetModel(id) : null;
        if (model is null)
        {
            throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                $"Migration '{id}' has no target model (its class does not override BuildTargetModel: no designer file), so the schema it leads to is unknown and the squash cannot be computed. " +
                $"Squash a range that does not include '{id}', or restore its designer file ({id}.Designer.cs) from version control.");
        }

        return new RangeMigration(id, Operations(id, "Up", () => migration.UpOperations), Operations(id, "Down", () => migration.DownOperations), model);
    }

    private static IReadOnlyList<MigrationOperation> Operations(string id, string direction, Func<IReadOnlyList<MigrationOperation>> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex)
        {
            var hint = direction == "Down"
                ? "It cannot be reverted, and the squashed migration's Down, computed from the models, would pretend it can. Squash a range that ends before it or starts after it."
                : "Fix the migration so that its Up can be built, then squash again.";
            throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                $"The {direction} of migration '{id}' throws ({ex.GetType().Name}: {ex.Message}). {hint}");
        }
    }
}
