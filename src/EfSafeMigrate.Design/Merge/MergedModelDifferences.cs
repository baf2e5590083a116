namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// How the code model differs from the model the two branches of a fork together describe, as
/// operation summaries (<see cref="EfSafeMigrate.Execution.OperationSummary"/>; compared by
/// <see cref="EfSafeMigrate.Footprint.OperationSignature"/>); all empty when the code
/// model is exactly both branches' changes on top of their common ancestor.
/// </summary>
/// <param name="Extra">Changes of the code model that neither branch's migrations make (to be added with their own migration).</param>
/// <param name="MissingFromBranchA">Changes of branch A's migrations that the code model does not have.</param>
/// <param name="MissingFromBranchB">Changes of branch B's migrations that the code model does not have.</param>
/// <param name="Other">
/// Differences from one head's target model to the code model that are neither the other branch's
/// changes nor in <paramref name="Extra"/> (usually the undoing of a missing change, seen from the head that made it).
/// </param>
internal sealed record MergedModelDifferences(IReadOnlyList<string> Extra, IReadOnlyList<string> MissingFromBranchA, IReadOnlyList<string> MissingFromBranchB, IReadOnlyList<string> Other)
{
    /// <summary>True when the code model is exactly the two branches' changes together.</summary>
    public bool IsEmpty => Extra.Count == 0 && MissingFromBranchA.Count == 0 && MissingFromBranchB.Count == 0 && Other.Count == 0;
}
