using EfSafeMigrate.Design.Conflicts;
using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The part of <c>check --against REF</c> that looks inside the migrations both sides added since the merge base
/// (<see cref="FindingCodes.SharedObjectAtMerge"/>, SM203): their files are read from git (the other side's from
/// <c>REF</c>, this side's from the working tree or, with <c>--staged</c>, the index), their <c>Up</c> bodies as
/// syntax (<see cref="SemanticConflictFinder"/>; no build), and each object both sides touch is reported with both
/// migrations, both operations with file and line, and the fix. Only the added migrations' files are read, so the
/// cost does not grow with the history.
/// </summary>
internal static class SemanticConflictCheck
{
    /// <summary>The findings, one per object both sides touch (errors, as <c>merge</c> would refuse them).</summary>
    /// <param name="files">Where files come from.</param>
    /// <param name="staged">Read this side from git's index instead of the working tree.</param>
    /// <param name="otherRef">The other ref as the user named it.</param>
    /// <param name="ours">This side's migrations.</param>
    /// <param name="theirs">The other ref's migrations.</param>
    /// <param name="mergeBase">The merge base's migrations.</param>
    /// <param name="context">Only this DbContext, or null.</param>
    public static IReadOnlyList<Finding> Run(MigrationFiles files, bool staged, string otherRef,
        IReadOnlyList<MigrationSource> ours, IReadOnlyList<MigrationSource> theirs, IReadOnlyList<MigrationSource> mergeBase, string? context)
    {
        var findings = new List<Finding>();
        var both = BranchComparer.AddedOnBothSides(ours, theirs, mergeBase, context);
        if (both.Count == 0)
        {
            return findings;
        }

        var repository = files.RequireRepository("--against");
        foreach (var (contextName, ourAdded, theirAdded) in both)
        {
            var ourTexts = staged
                ? repository.ReadAt(string.Empty, ourAdded.SelectMany(m => m.Files))
                : ourAdded.SelectMany(m => m.Files).Distinct(StringComparer.Ordinal)
                    .Where(p => File.Exists(files.FullPath(p)))
                    .ToDictionary(p => p, p => File.ReadAllText(files.FullPath(p)), StringComparer.Ordinal);
            var theirTexts = repository.ReadAt(otherRef, theirAdded.SelectMany(m => m.Files));
            var (conflicts, _) = SemanticConflictFinder.Find(Texts(ourAdded, ourTexts), Texts(theirAdded, theirTexts));
            findings.AddRange(conflicts.Select(c => ToFinding(c, otherRef, contextName, ourAdded.Count)));
        }

        return findings;
    }

    private static string Objects(SemanticConflict conflict) => string.Join(" and ", conflict.Objects.Select(o => o.Describe()));

    private static List<MigrationText> Texts(IReadOnlyList<MigrationSource> migrations, IReadOnlyDictionary<string, string> texts)
        => migrations.Select(m => new MigrationText(m.Id!, m.Files.Where(texts.ContainsKey).Select(p => new SourceFile(p, texts[p])).ToList())).ToList();

    private static Finding ToFinding(SemanticConflict conflict, string otherRef, string contextName, int ourCount)
    {
        var shared = conflict.Shared;
        var fix = ourCount == 1
            ? $"Bring {otherRef} into this branch (git merge {otherRef}), then move this branch's migration after {otherRef}'s, re-scaffolded on its model: dotnet safe-migrate merge --rebase {shared.MigrationA}. " +
              $"Check that what '{shared.MigrationA}' does to {Objects(conflict)} still makes sense after '{shared.MigrationB}' (a plain 'dotnet safe-migrate merge' refuses these branches)."
            : $"Bring {otherRef} into this branch (git merge {otherRef}); a plain 'dotnet safe-migrate merge' refuses these branches. Move all of this branch's migrations after {otherRef}'s, each re-scaffolded on its model: dotnet safe-migrate merge --rebase. " +
              $"Check that what '{shared.MigrationA}' does to {Objects(conflict)} still makes sense after '{shared.MigrationB}'.";
        return new Finding(FindingCodes.SharedObjectAtMerge, FindingSeverity.Error,
            $"This branch's '{shared.MigrationA}' and {otherRef}'s '{shared.MigrationB}' (both added to {contextName} since the merge base) both touch {Objects(conflict)}: " +
            $"'{shared.MigrationA}' {shared.OperationA} ({conflict.Ours.Location}), '{shared.MigrationB}' {shared.OperationB} ({otherRef}:{conflict.Theirs.Location}).",
            new[] { shared.MigrationA, shared.MigrationB }.Order(StringComparer.Ordinal).ToList(), conflict.Ours.File, conflict.Ours.Line, fix);
    }
}
