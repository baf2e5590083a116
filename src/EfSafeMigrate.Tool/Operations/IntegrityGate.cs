using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// The gate before an operation rewrites an integrity file (<c>add</c>, <c>remove</c>, <c>squash</c>,
/// <c>squash --finalize</c>): the fast checks on the working tree, refusing when a finding would be hidden
/// by the rewrite. <c>merge</c> has its own (<see cref="MergeOperations"/>), since it resolves the fork.
/// </summary>
public static class IntegrityGate
{
    // Findings that rewriting safe-migrate.sum would silently accept (edited or deleted migrations)
    // or that need a merge first. A missing file, unrecorded migrations and a stale head line are
    // what writing the file fixes, so they do not block.
    private static readonly HashSet<string> BlockingCodes = new(StringComparer.Ordinal)
    {
        FindingCodes.MigrationEdited, FindingCodes.MigrationRemoved, FindingCodes.Fork, FindingCodes.MultipleHeads,
        FindingCodes.DuplicateId, FindingCodes.SnapshotConflict, FindingCodes.SumFileMalformed, FindingCodes.SumFileConflict,
    };

    /// <summary>
    /// Runs the fast checks on the working tree and, when a finding would be hidden by the rewrite (an
    /// edited or deleted migration, a fork, several heads, a duplicate id, conflict markers, an unreadable
    /// file), prints the findings and returns exit code 1; otherwise returns null and prints nothing.
    /// </summary>
    /// <param name="files">The project's files.</param>
    /// <param name="context">The <c>--context</c> option, or null.</param>
    /// <param name="reporter">Output.</param>
    /// <param name="refusal">The start of the refusal message, e.g. <c>Not adding migration 'X'</c>.</param>
    /// <param name="tolerated">Findings the caller's own action resolves (e.g. an edit of the migration <c>remove</c> deletes), or null.</param>
    internal static int? RefuseOnIntegrityErrors(MigrationFiles files, string? context, Reporter reporter, string refusal, Func<Finding, bool>? tolerated)
    {
        var (findings, folders) = FastChecks.Run(files, staged: false, againstRef: null, context);
        var blocking = findings
            .Where(f => f.Severity == FindingSeverity.Error && BlockingCodes.Contains(f.Code))
            .Where(f => tolerated is null || !tolerated(f))
            .ToList();
        if (blocking.Count == 0)
        {
            return null;
        }

        FindingsPresenter.Present(reporter, blocking, $"{folders} migrations folder(s) under {Path.Combine(files.Root, files.Scope)}");
        reporter.Error($"{refusal}: the migrations and {SumFile.FileName} show the problem(s) above, which rewriting {SumFile.FileName} now would hide or make worse. Nothing was changed. " +
            "Fix them as each 'fix:' line says (an edit or a deletion that is intended is accepted with 'dotnet safe-migrate hash'), then run the command again.");
        return ExitCodes.ProblemsFound;
    }
}
