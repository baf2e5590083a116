using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Footprint;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// The <c>Up</c> and <c>Down</c> of a migration moved by <c>merge --rebase</c>: EF Core's model differ's operations
/// from the other head's target model to the code model (and back), with the moved migration's custom operations
/// (<c>Sql(...)</c>, hand-written data operations, <c>RestartSequence</c>: see <see cref="OperationClassifier"/>) kept
/// in their original order and place: each right after the operation that preceded it in the moved migration (matched by
/// <see cref="OperationSignature"/>), or, when the differ no longer produces that operation, after the schema operations.
/// <list type="bullet">
/// <item>Refused, as <c>squash</c> refuses (<see cref="CustomOperationRules.UpConflict"/>), when moving a custom operation
/// changes what it sees: an operation of the other branch, which now runs before it, drops, renames or changes the type
/// of a table or column it uses, or an operation of the new method that now runs before it and did not before does.</item>
/// <item>Refused when the moved migration has a schema operation EF Core's differ does not produce between its parent's
/// target model and its own (written by hand): it cannot be recomputed against the other head's model.</item>
/// </list>
/// </summary>
internal static class RebasedOperations
{
    /// <summary>Plans the new <c>Up</c> and <c>Down</c>.</summary>
    /// <param name="moved">The moved migration, as EF Core builds it.</param>
    /// <param name="movedUpFromModels">The differ's operations from the moved migration's parent's target model (an empty model when it has none) to its own.</param>
    /// <param name="movedDownFromModels">The differ's operations back.</param>
    /// <param name="up">The differ's operations from the other head's target model to the code model.</param>
    /// <param name="down">The differ's operations back.</param>
    /// <param name="otherBranch">The Up operations of the other branch's migrations (oldest first), which now run before the moved migration.</param>
    /// <returns>The new Up and Down, and the custom operations kept (with their places in the moved migration).</returns>
    /// <exception cref="MergeRefusedException">A custom operation cannot be moved, or a schema operation was written by hand (<see cref="MergeRefusal.Conflict"/>); nothing was changed.</exception>
    public static (IReadOnlyList<MigrationOperation> Up, IReadOnlyList<MigrationOperation> Down, IReadOnlyList<KeptOperation> Kept) Plan(
        RangeMigration moved,
        IReadOnlyList<MigrationOperation> movedUpFromModels,
        IReadOnlyList<MigrationOperation> movedDownFromModels,
        IReadOnlyList<MigrationOperation> up,
        IReadOnlyList<MigrationOperation> down,
        IReadOnlyList<(string Id, IReadOnlyList<MigrationOperation> Up)> otherBranch)
    {
        var problems = new List<string>();
        problems.AddRange(HandWritten(moved.Id, moved.Up, movedUpFromModels));
        IReadOnlyList<(int Index, MigrationOperation Operation)> customUp, customDown;
        try
        {
            customUp = OperationClassifier.Custom(moved.Id, "Up", moved.Up, movedUpFromModels);
            customDown = OperationClassifier.Custom(moved.Id, "Down", moved.Down, movedDownFromModels);
        }
        catch (SquashRefusedException ex)
        {
            throw Refused(moved.Id, [ex.Message]);
        }

        var newUp = Place(moved.Id, "Up", moved.Up, customUp, up, otherBranch, problems);
        var newDown = Place(moved.Id, "Down", moved.Down, customDown, down, otherBranch, problems);
        if (problems.Count > 0)
        {
            throw Refused(moved.Id, problems);
        }

        var kept = customUp.Select(c => new KeptOperation(moved.Id, "Up", c.Index, c.Operation))
            .Concat(customDown.Select(c => new KeptOperation(moved.Id, "Down", c.Index, c.Operation)))
            .ToList();
        return (newUp, newDown, kept);
    }

    // The differ's operations with each custom operation after the match of the schema operation that preceded it.
    private static List<MigrationOperation> Place(
        string movedId,
        string direction,
        IReadOnlyList<MigrationOperation> original,
        IReadOnlyList<(int Index, MigrationOperation Operation)> custom,
        IReadOnlyList<MigrationOperation> differ,
        IReadOnlyList<(string Id, IReadOnlyList<MigrationOperation> Up)> otherBranch,
        List<string> problems)
    {
        var result = differ.ToList();
        if (custom.Count == 0)
        {
            return result;
        }

        // Where each differ operation sits in result (indices shift as custom operations are inserted).
        var signatures = differ.Select(OperationSignature.Of).ToList();
        var schemaCount = differ.Count;
        var placed = new List<(int Slot, MigrationOperation Operation)>();
        var customIndices = custom.Select(c => c.Index).ToHashSet();
        foreach (var (index, operation) in custom)
        {
            var kept = new KeptOperation(movedId, direction, index, operation);
            var footprint = OperationFootprint.Of(operation);

            // The differ slot after which it goes: after the match of the last schema operation before it, or after all of them.
            var anchor = Enumerable.Range(0, index).Reverse().Where(i => !customIndices.Contains(i)).Select(i => original[i])
                .Where(OperationClassifier.IsSchema).Select(o => (MigrationOperation?)o).FirstOrDefault();
            var slot = anchor is null ? 0
                : signatures.IndexOf(OperationSignature.Of(anchor)) is var match and >= 0 ? match + 1
                : schemaCount;
            slot = Math.Max(slot, placed.Count == 0 ? 0 : placed[^1].Slot); // keep the custom operations in their order
            placed.Add((slot, operation));

            // What runs before it now and did not in the moved migration.
            var before = original.Take(index).Where(OperationClassifier.IsSchema).Select(OperationSignature.Of).ToList();
            for (var i = 0; i < slot; i++)
            {
                if (before.Remove(signatures[i]))
                {
                    continue;
                }

                if (CustomOperationRules.UpConflict(footprint, differ[i]) is { } reason)
                {
                    problems.Add($"{kept}: in the moved migration it runs after {OperationText.Describe(differ[i])}, which it did not run after before, but {reason}.");
                }
            }

            foreach (var (id, operations) in otherBranch)
            {
                for (var i = 0; i < operations.Count; i++)
                {
                    if (CustomOperationRules.UpConflict(footprint, operations[i]) is { } reason)
                    {
                        problems.Add($"{kept}: the other branch's migration now runs before it, but {reason} (that operation: {id} {OperationText.Describe("Up", i, operations[i])}).");
                    }
                }
            }
        }

        var offset = 0;
        foreach (var (slot, operation) in placed)
        {
            result.Insert(slot + offset, operation);
            offset++;
        }

        return result;
    }

    // Schema operations of the moved migration's Up that the differ does not produce between its parent's model and its own.
    private static IEnumerable<string> HandWritten(string movedId, IReadOnlyList<MigrationOperation> operations, IReadOnlyList<MigrationOperation> fromModels)
    {
        var expected = fromModels.Where(OperationClassifier.IsSchema).Select(OperationSignature.Of).ToList();
        for (var i = 0; i < operations.Count; i++)
        {
            if (OperationClassifier.IsSchema(operations[i]) && !expected.Remove(OperationSignature.Of(operations[i])))
            {
                yield return $"{movedId} {OperationText.Describe("Up", i, operations[i])}: EF Core's model differ does not produce this schema operation between the migration's parent's target model and its own, so it was written by hand, and the moved migration, recomputed from the models, would lose it.";
            }
        }
    }

    private static MergeRefusedException Refused(string movedId, IReadOnlyList<string> problems)
        => new(MergeRefusal.Conflict,
            $"Cannot rebase '{movedId}': its hand-written operations cannot move after the other branch's migrations as they are.{Environment.NewLine}" +
            string.Join(Environment.NewLine, problems.Select(p => "  - " + p)) + Environment.NewLine +
            $"Nothing was changed. Rewrite the operation(s) in '{movedId}' for the schema after the other branch (or write it as migrationBuilder.Sql(...) that uses the other branch's names), " +
            "run 'dotnet safe-migrate hash', then run 'dotnet safe-migrate merge --rebase' again; or merge the branches with a new migration by hand.");
}
