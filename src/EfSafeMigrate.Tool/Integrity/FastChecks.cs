using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The checks that read files only (never build): every migrations folder under the scope
/// against its integrity file, and with a ref, this branch against that ref from their merge base
/// (forks to come, out-of-order ids, and objects both sides' new migrations touch).
/// </summary>
internal static class FastChecks
{
    /// <summary>Runs the fast checks.</summary>
    /// <param name="files">Where files come from.</param>
    /// <param name="staged">Read git's index instead of the working tree.</param>
    /// <param name="againstRef">The ref to compare with, or null.</param>
    /// <param name="context">Only this DbContext, or null.</param>
    /// <returns>The findings, and how many migrations folders were checked.</returns>
    public static (IReadOnlyList<Finding> Findings, int Folders) Run(MigrationFiles files, bool staged, string? againstRef, string? context)
    {
        var current = staged ? files.FromIndex() : files.FromWorkingTree();
        var folders = MigrationFolder.From(current);
        var findings = folders.SelectMany(f => IntegrityChecker.Check(f.Folder, f.Migrations, f.Snapshots, f.SumText, context)).ToList();
        if (againstRef is not null)
        {
            var repository = files.RequireRepository("--against");
            var mergeBase = repository.MergeBase("HEAD", againstRef);
            var ours = folders.SelectMany(f => f.Migrations).ToList();
            var theirs = files.FromCommit(againstRef).Scan().Migrations;
            var atBase = files.FromCommit(mergeBase).Scan().Migrations;
            findings.AddRange(BranchComparer.Compare(againstRef, ours, theirs, atBase, context));
            findings.AddRange(SemanticConflictCheck.Run(files, staged, againstRef, ours, theirs, atBase, context));
        }

        return (findings, folders.Count);
    }
}
