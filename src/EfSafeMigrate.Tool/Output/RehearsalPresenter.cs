using System.Globalization;
using EfSafeMigrate.Rehearsal;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Output;

/// <summary>Shows a <see cref="RehearsalReport"/>: a table per migration and the total, or <c>--json</c>; returns the exit code.</summary>
internal static class RehearsalPresenter
{
    /// <summary>Writes the report and returns 0 when everything applied and round-tripped, else 1.</summary>
    public static int Present(Reporter reporter, RehearsalReport report, string database)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new RehearseResult(
                report.Database, report.Copy, report.CopyMethod, report.CopyMs, report.Kept, report.RoundTrip, report.Succeeded, report.TotalMs, report.ReapplyError,
                report.Migrations.Select(m => new RehearsedMigrationResult(
                    m.Id,
                    m.DurationMs,
                    m.Error,
                    m.Locks.Select(l => new RehearsalLockResult(l.Table, l.Mode, l.WaitedMs)).ToList(),
                    m.Tables.Select(t => new RehearsalTableResult(t.Table, t.BytesBefore, t.BytesAfter)).ToList(),
                    m.Lint,
                    m.RoundTrip,
                    m.RoundTripError,
                    m.RoundTripDifferences.Select(d => new RoundTripDifferenceResult(d.Object, d.Left, d.Right)).ToList())).ToList()));
        }
        else if (report.Migrations.Count > 0)
        {
            var table = new Table().AddColumns("Migration", "Time", "Locks (waited)", "Tables (size before -> after)", "Round trip");
            foreach (var m in report.Migrations)
            {
                table.AddRow(
                    Markup.Escape(m.Id),
                    m.Error is not null ? "[red]FAILED[/]" : m.DurationMs is { } ms ? HumanFormat.Milliseconds(ms) : "not run",
                    Markup.Escape(string.Join(Environment.NewLine, m.Locks.Select(l => $"{l.Table} {l.Mode}{(l.WaitedMs > 0 ? $" ({HumanFormat.Milliseconds(l.WaitedMs)})" : string.Empty)}"))),
                    Markup.Escape(string.Join(Environment.NewLine, m.Tables.Select(t => $"{t.Table} {Size(t.BytesBefore)} -> {Size(t.BytesAfter)}"))),
                    m.RoundTrip switch
                    {
                        RoundTripStates.Ok => "[green]ok[/]",
                        RoundTripStates.Different => "[red]Down does not restore the schema[/]",
                        RoundTripStates.Failed => "[red]Down failed[/]",
                        _ => "skipped",
                    });
            }

            reporter.Data(table);
            var applied = report.Migrations.Where(m => m.DurationMs is not null).ToList();
            reporter.Info($"Total: {applied.Count} of {report.Migrations.Count} migration(s) applied in {HumanFormat.Milliseconds(applied.Sum(m => m.DurationMs ?? 0))} on the copy \"{report.Copy}\" ({report.CopyMethod}, made in {HumanFormat.Milliseconds(report.CopyMs)}); whole rehearsal {HumanFormat.Milliseconds(report.TotalMs)}.");
        }

        foreach (var m in report.Migrations)
        {
            if (m.Error is not null)
            {
                reporter.Error($"Migration '{m.Id}' failed on the copy: {m.Error}");
            }

            foreach (var line in m.DescribeRoundTrip())
            {
                reporter.Error(line);
            }
        }

        if (report.ReapplyError is not null)
        {
            reporter.Error(report.ReapplyError);
        }

        if (report.Migrations.Count == 0)
        {
            return ExitCodes.Success;
        }

        var unchanged = $"{database} was not changed.";
        if (report.Succeeded)
        {
            reporter.Success($"Rehearsal passed: every migration applied{(report.RoundTrip ? ", reverted to the same schema and applied again" : string.Empty)}. {unchanged}");
            return ExitCodes.Success;
        }

        reporter.Error($"Rehearsal failed (see above). {unchanged} Fix the migration(s) named and rehearse again.");
        return ExitCodes.ProblemsFound;
    }

    private static string Size(long? bytes) => bytes is null ? "none" : HumanFormat.Bytes(bytes.Value);
}
