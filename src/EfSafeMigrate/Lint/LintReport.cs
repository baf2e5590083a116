namespace EfSafeMigrate.Lint;

/// <summary>The result of a lint run.</summary>
/// <param name="Migrations">The migration ids linted, in the order given.</param>
/// <param name="Findings">Every finding, by migration (in <paramref name="Migrations"/>' order), then operation.</param>
/// <param name="Database">The database whose sizes were used, described; null without one.</param>
internal sealed record LintReport(IReadOnlyList<string> Migrations, IReadOnlyList<LintFinding> Findings, string? Database)
{
    /// <summary>How many findings are errors.</summary>
    public int Errors => Findings.Count(f => f.Severity == LintSeverity.Error);

    /// <summary>How many findings are warnings.</summary>
    public int Warnings => Findings.Count(f => f.Severity == LintSeverity.Warning);

    /// <summary>How many findings are infos.</summary>
    public int Infos => Findings.Count(f => f.Severity == LintSeverity.Info);
}
