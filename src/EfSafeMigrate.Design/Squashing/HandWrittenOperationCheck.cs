using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Compares a migration's schema operations with what EF Core's model differ produces between its
/// parent's target model and its own (as <c>check --build</c> does, finding SM303). A schema
/// operation the differ does not produce was written by hand (an index, a table or a rename the
/// model does not know): the squash, computed from the models, would lose it, so the squash is
/// refused. An operation the differ produces but the migration lacks only gets a warning: the
/// squash follows the models there, which is where the range's last target model says the schema is.
/// </summary>
public static class HandWrittenOperationCheck
{
    /// <summary>Checks one migration's Up.</summary>
    /// <param name="migrationId">The migration.</param>
    /// <param name="operations">Its Up operations.</param>
    /// <param name="differOperations">The differ's operations from its parent's target model to its own.</param>
    /// <param name="parentDescription">How to name the parent model in messages, e.g. <c>the target model of '...'</c>.</param>
    /// <returns>Warnings for operations the migration lacks.</returns>
    /// <exception cref="SquashRefusedException">The migration has a schema operation the differ does not produce (<see cref="SquashRefusalKind.NotFromModels"/>).</exception>
    public static IReadOnlyList<string> Check(string migrationId, IReadOnlyList<MigrationOperation> operations, IReadOnlyList<MigrationOperation> differOperations, string parentDescription)
    {
        var expected = differOperations.Where(OperationClassifier.IsSchema).Select(OperationSummary.Describe).ToList();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (!OperationClassifier.IsSchema(operation))
            {
                continue;
            }

            if (!expected.Remove(OperationSummary.Describe(operation)))
            {
                throw new SquashRefusedException(SquashRefusalKind.NotFromModels,
                    $"Migration '{migrationId}', {OperationText.Describe("Up", i, operation)}: EF Core's model differ does not produce this operation between {parentDescription} and the migration's own, so it was written by hand, and the squash, computed from the models, would lose it. " +
                    $"Squash a range that ends before '{migrationId}' or starts after it (had the operation been written as migrationBuilder.Sql(...), the squash would keep it).");
            }
        }

        return expected.Count == 0
            ? []
            : [$"Migration '{migrationId}' lacks what EF Core's model differ produces between {parentDescription} and its own ({string.Join(", ", expected.Take(5))}); the squash follows the models, so it does that too (check --build reports this as SM303)."];
    }
}
