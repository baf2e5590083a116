using EfSafeMigrate.Execution;
using EfSafeMigrate.Footprint;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Proves, with EF Core's model differ (<see cref="IMigrationsModelDiffer"/>), that the code model is
/// the two branches of a fork together and nothing else, so that a merge migration with an empty
/// <c>Up</c> leaves every database at the code model: the differences from head A's target model to
/// the code model must be exactly branch B's changes (the differences from the common ancestor's
/// target model to head B's), and symmetrically. Operations are compared by <see cref="OperationSignature"/>
/// (kind, schema, table, column, type, nullability), as <c>check --build</c> compares a migration with its
/// models, and reported by <see cref="OperationSummary.Describe(MigrationOperation)"/>.
/// </summary>
internal static class MergedModelCheck
{
    /// <summary>Compares the models.</summary>
    /// <param name="differ">EF Core's model differ of the context.</param>
    /// <param name="parent">The common ancestor's target model; null when the branches share no migration (an empty model).</param>
    /// <param name="headA">Head A's target model.</param>
    /// <param name="headB">Head B's target model.</param>
    /// <param name="code">The code model (the design-time model EF Core's scaffolder diffs against).</param>
    public static MergedModelDifferences Check(IMigrationsModelDiffer differ, IModel? parent, IModel headA, IModel headB, IModel code)
    {
        var parentModel = parent?.GetRelationalModel();
        var codeModel = code.GetRelationalModel();
        var changesOfA = SchemaOperations(differ.GetDifferences(parentModel, headA.GetRelationalModel()));
        var changesOfB = SchemaOperations(differ.GetDifferences(parentModel, headB.GetRelationalModel()));
        var fromA = SchemaOperations(differ.GetDifferences(headA.GetRelationalModel(), codeModel));
        var fromB = SchemaOperations(differ.GetDifferences(headB.GetRelationalModel(), codeModel));

        // What A lacks to reach the code model should be B's changes, and the other way round. A change
        // of neither branch is left over on both sides; a change the code model lost is left over (undone)
        // on one side only, and is reported as missing.
        var leftFromA = OperationSignature.Except(fromA, changesOfB);
        var leftFromB = OperationSignature.Except(fromB, changesOfA);
        var extra = OperationSignature.Intersect(leftFromA, leftFromB);
        var other = Describe(OperationSignature.Except(leftFromA, extra)).Concat(Describe(OperationSignature.Except(leftFromB, extra))).Distinct(StringComparer.Ordinal).ToList();
        return new MergedModelDifferences(Describe(extra), Describe(OperationSignature.Except(changesOfA, fromB)), Describe(OperationSignature.Except(changesOfB, fromA)), other);
    }

    private static List<MigrationOperation> SchemaOperations(IEnumerable<MigrationOperation> operations)
        => operations.Where(o => o is not SqlOperation).ToList();

    private static List<string> Describe(IEnumerable<MigrationOperation> operations)
        => operations.Select(OperationSummary.Describe).ToList();
}
