using EfSafeMigrate.Lint;

namespace EfSafeMigrate.Tool.Output;

/// <summary>The result of <c>lint</c> for <c>--json</c>.</summary>
/// <param name="Database">The database whose sizes were used (described), or null.</param>
/// <param name="Migrations">The migrations linted, in order.</param>
/// <param name="Findings">Every finding (fields: code, severity, migration, direction, operation, table, column, lock, rewritesTable, scansTable, rows, bytes, failingRows, message, fix, file, line, reason, suppressed).</param>
/// <param name="Errors">How many are errors.</param>
/// <param name="Warnings">How many are warnings.</param>
/// <param name="Infos">How many are infos.</param>
internal sealed record LintResult(string? Database, IReadOnlyList<string> Migrations, IReadOnlyList<LintFinding> Findings, int Errors, int Warnings, int Infos);

/// <summary>
/// Writes lint findings: grouped by migration, one block per finding (severity, code, line,
/// operation, lock and table size, message, fix, and why the severity is what it is), or one JSON
/// document. The same <see cref="LintReport"/> feeds both.
/// </summary>
internal static class LintPresenter
{
    /// <summary>Writes the report to stdout (findings) and a summary to stderr.</summary>
    public static void Present(Reporter reporter, LintReport report, string scope)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new LintResult(report.Database, report.Migrations, report.Findings, report.Errors, report.Warnings, report.Infos));
        }
        else
        {
            WriteFindings(reporter, report.Findings, showInfo: true);
        }

        Summary(reporter, report, scope);
    }

    /// <summary>Writes findings grouped by migration (infos only when <paramref name="showInfo"/>).</summary>
    public static void WriteFindings(Reporter reporter, IEnumerable<LintFinding> findings, bool showInfo)
    {
        foreach (var group in findings.Where(f => showInfo || f.Severity != LintSeverity.Info).GroupBy(f => (f.Migration, f.Direction)))
        {
            var file = group.Select(f => f.File).FirstOrDefault(f => f is not null);
            reporter.DataLine(($"{group.Key.Migration} ({group.Key.Direction})", Tone.Plain), (file is null ? string.Empty : "  " + file, Tone.Grey));
            foreach (var f in group)
            {
                var (label, tone) = f.Severity switch
                {
                    LintSeverity.Error => ("error  ", Tone.Red),
                    LintSeverity.Warning => ("warning", Tone.Yellow),
                    _ => ("info   ", Tone.Grey),
                };
                var where = f.Line is null ? string.Empty : $"line {f.Line}: ";
                reporter.DataLine(("  " + label, tone), ($" {f.Code} {where}{f.Operation}{Effects(f)}", Tone.Plain));
                reporter.DataLine(("          ", Tone.Plain), (f.Message, Tone.Plain));
                reporter.DataLine(("          fix: ", Tone.Grey), (f.Fix, Tone.Plain));
                if (f.Reason is not null)
                {
                    reporter.DataLine(("          ", Tone.Plain), ($"({f.Reason})", Tone.Grey));
                }
            }
        }
    }

    /// <summary>The one-line summary on stderr.</summary>
    public static void Summary(Reporter reporter, LintReport report, string scope)
    {
        var counts = $"{report.Errors} error(s), {report.Warnings} warning(s), {report.Infos} info(s) in {report.Migrations.Count} migration(s) of {scope}";
        if (report.Errors > 0)
        {
            reporter.Error(counts + ".");
        }
        else if (report.Findings.Count == 0)
        {
            reporter.Success($"No lint findings in {report.Migrations.Count} migration(s) of {scope}.");
        }
        else
        {
            reporter.Info(counts + ".");
        }
    }

    private static string Effects(LintFinding f)
    {
        var parts = new List<string>();
        if (f.Lock is not null)
        {
            parts.Add(f.Lock);
        }

        if (f.RewritesTable)
        {
            parts.Add("rewrites table");
        }
        else if (f.ScansTable)
        {
            parts.Add("scans table");
        }

        if (f.Table is not null)
        {
            parts.Add(f.Rows is null ? f.Table : $"{f.Table} ~{HumanFormat.Count(f.Rows.Value)} rows, {HumanFormat.Bytes(f.Bytes ?? 0)}");
        }

        if (f.FailingRows is > 0)
        {
            parts.Add($"{f.FailingRows:N0} failing row(s)");
        }

        return parts.Count == 0 ? string.Empty : $" [{string.Join("; ", parts)}]";
    }
}
