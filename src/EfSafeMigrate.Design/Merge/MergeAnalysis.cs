namespace EfSafeMigrate.Design.Merge;

/// <summary>What <see cref="MergeAnalyzer"/> found about a fork.</summary>
/// <param name="Fork">The fork.</param>
/// <param name="SharedObjects">Objects both branches act on; when any, the branches cannot be merged as they are.</param>
/// <param name="ModelDifferences">How the code model differs from both branches' changes together; null when not compared (shared objects were found first).</param>
internal sealed record MergeAnalysis(MigrationFork Fork, IReadOnlyList<SharedObject> SharedObjects, MergedModelDifferences? ModelDifferences)
{
    /// <summary>True when an empty merge migration can join the two branches.</summary>
    public bool CanMerge => SharedObjects.Count == 0 && ModelDifferences is { IsEmpty: true };
}
