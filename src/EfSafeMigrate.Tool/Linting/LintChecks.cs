using EfSafeMigrate.Integrity;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Integrity;

namespace EfSafeMigrate.Tool.Linting;

/// <summary>
/// Lint as part of <c>check --build</c>: errors and warnings become check findings (infos are left
/// out), so errors fail the check. Which migrations: those not on <c>--against REF</c> when given; else,
/// with a database, the pending ones (with real sizes); else none (the whole history is linted by
/// <c>lint</c>; a check without a base branch or database has nothing to compare "new" with).
/// </summary>
internal static class LintChecks
{
    /// <summary>The lint findings for <c>check</c>.</summary>
    public static IReadOnlyList<Finding> Run(ProjectSession session, string? againstRef, bool useDatabase, LintOptions options)
    {
        var all = session.Migrator.Migrations;
        IReadOnlyList<string> ids;
        if (!string.IsNullOrEmpty(againstRef))
        {
            var theirs = MigrationFiles.For(session.ProjectDir).FromCommit(againstRef).Scan().Migrations
                .Where(m => m.Id is not null).Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);
            ids = all.Where(id => !theirs.Contains(id)).ToList();
        }
        else if (useDatabase)
        {
            var applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
            ids = all.Where(id => !applied.Contains(id)).ToList();
        }
        else
        {
            return [];
        }

        var inputs = new LintInputs(session);
        var report = new LintEngine(options, useDatabase ? inputs.Database() : null).Run(inputs.For(ids, revert: false));
        return report.Findings
            .Where(f => f.Severity != LintSeverity.Info)
            .Select(f => new Finding(
                f.Code,
                f.Severity == LintSeverity.Error ? FindingSeverity.Error : FindingSeverity.Warning,
                $"{f.Migration} ({f.Direction}) {f.Operation}: {f.Message}{(f.Reason is null ? string.Empty : $" ({f.Reason})")}",
                [f.Migration],
                f.File,
                f.Line,
                f.Fix))
            .ToList();
    }
}
