using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Output;

/// <summary>The result of <c>check</c>, for <c>--json</c>.</summary>
/// <param name="Findings">Every finding, in order.</param>
/// <param name="Errors">How many are errors.</param>
/// <param name="Warnings">How many are warnings.</param>
internal sealed record CheckResult(IReadOnlyList<Finding> Findings, int Errors, int Warnings);

/// <summary>Writes findings: one block per finding on stdout (<c>error SM104 file:line: message</c>, then the fix), or one JSON document.</summary>
internal static class FindingsPresenter
{
    /// <summary>Writes the findings and a summary; returns the exit code (1 when any error, else 0).</summary>
    public static int Present(Reporter reporter, IReadOnlyList<Finding> findings, string scopeDescription)
    {
        var errors = findings.Count(f => f.Severity == FindingSeverity.Error);
        var warnings = findings.Count - errors;
        if (reporter.Json)
        {
            reporter.JsonDocument(new CheckResult(findings, errors, warnings));
        }
        else
        {
            foreach (var finding in findings)
            {
                var location = finding.Location.Length == 0 ? string.Empty : finding.Location + ": ";
                reporter.DataLine(
                    finding.Severity == FindingSeverity.Error ? ("error", Tone.Red) : ("warning", Tone.Yellow),
                    ($" {finding.Code} {location}{finding.Message}", Tone.Plain));
                reporter.DataLine(("  fix: ", Tone.Grey), (finding.Fix, Tone.Plain));
            }
        }

        if (findings.Count == 0)
        {
            reporter.Success($"No problems found in {scopeDescription}.");
        }
        else
        {
            reporter.Info($"{errors} error(s), {warnings} warning(s) in {scopeDescription}.");
        }

        return errors > 0 ? ExitCodes.ProblemsFound : ExitCodes.Success;
    }
}
