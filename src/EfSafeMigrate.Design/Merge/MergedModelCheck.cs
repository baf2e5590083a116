using EfSafeMigrate.Execution;
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
/// target model to head B's), and symmetrically. Operations are compared by signature
/// (<see cref="OperationSummary.Describe(MigrationOperation)"/>), as <c>check --build</c> compares a
/// migration with its models.
/// </summary>
public static class MergedModelCheck
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
        var changesOfA = Signatures(differ.GetDifferences(parentModel, headA.GetRelationalModel()));
        var changesOfB = Signatures(differ.GetDifferences(parentModel, headB.GetRelationalModel()));
        var fromA = Signatures(differ.GetDifferences(headA.GetRelationalModel(), codeModel));
        var fromB = Signatures(differ.GetDifferences(headB.GetRelationalModel(), codeModel));

        // What A lacks to reach the code model should be B's changes, and the other way round. A change
        // of neither branch is left over on both sides; a change the code model lost is left over (undone)
        // on one side only, and is reported as missing.
        var leftFromA = Subtract(fromA, changesOfB);
        var leftFromB = Subtract(fromB, changesOfA);
        var extra = Intersect(leftFromA, leftFromB);
        var other = Subtract(leftFromA, extra).Concat(Subtract(leftFromB, extra)).Distinct(StringComparer.Ordinal).ToList();
        return new MergedModelDifferences(extra, Subtract(changesOfA, fromB), Subtract(changesOfB, fromA), other);
    }

    private static List<string> Intersect(List<string> first, List<string> second)
    {
        var left = new List<string>(second);
        var common = new List<string>();
        foreach (var item in first)
        {
            if (left.Remove(item))
            {
                common.Add(item);
            }
        }

        return common;
    }

    private static List<string> Signatures(IEnumerable<MigrationOperation> operations)
        => operations.Where(o => o is not SqlOperation).Select(OperationSummary.Describe).ToList();

    private static List<string> Subtract(List<string> from, List<string> remove)
    {
        var left = new List<string>(from);
        foreach (var item in remove)
        {
            left.Remove(item);
        }

        return left;
    }
}
