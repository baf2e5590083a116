using EfSafeMigrate.Integrity;
using EfSafeMigrate.Schema;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Output;

/// <summary>Shows a <see cref="SchemaDriftReport"/>: a table of drift, the objects EF Core does not model apart, or JSON; and as <c>check</c> findings.</summary>
internal static class DriftPresenter
{
    /// <summary>Writes the report (table or <c>--json</c>) and returns the exit code: 1 on drift, else 0.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="report">The comparison.</param>
    /// <param name="database">The database as messages name it (name, server and user).</param>
    /// <param name="databaseName">The database's name, for <c>--json</c>.</param>
    public static int Present(Reporter reporter, SchemaDriftReport report, string database, string databaseName)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(new VerifyResult(databaseName, report.Migrations, report.UnknownMigrations, report.Drift.Select(Json).ToList(), report.Unmodeled.Select(Json).ToList()));
        }
        else
        {
            if (report.Drift.Count > 0)
            {
                reporter.Data(Table(report.Drift));
            }

            if (report.Unmodeled.Count > 0)
            {
                reporter.Info("Objects EF Core does not model (views, functions, triggers; usually made with Sql()) that differ from what the migrations create, not counted as drift:");
                reporter.Data(Table(report.Unmodeled));
            }
        }

        foreach (var id in report.UnknownMigrations)
        {
            reporter.Warning($"The history of {database} has migration '{id}', which the code does not have: what it changed is not known, so its objects show as extra. See 'dotnet safe-migrate repair --remove-unknown'.");
        }

        if (report.HasDrift)
        {
            reporter.Error($"{database} differs from the schema its {report.Migrations.Count} applied migration(s) give: {report.Drift.Count} difference(s). " +
                           "Bring it back with a migration (dotnet ef migrations add), restore a backup, or, if the history is what is wrong, 'dotnet safe-migrate repair'.");
            return ExitCodes.ProblemsFound;
        }

        reporter.Success($"No drift: {database} has the schema its {report.Migrations.Count} applied migration(s) give{(report.Unmodeled.Count > 0 ? $" ({report.Unmodeled.Count} unmodeled object(s) differ, listed above)" : string.Empty)}.");
        return ExitCodes.Success;
    }

    /// <summary>The report as <c>check</c> findings: SM404 (error) per drift, SM405 (warning) per unmodeled object.</summary>
    public static IEnumerable<Finding> Findings(SchemaDriftReport report, string database)
    {
        foreach (var entry in report.Drift)
        {
            yield return new Finding(FindingCodes.SchemaDrift, FindingSeverity.Error, $"{database}: {entry.Describe()}",
                entry.Migration is null ? [] : [entry.Migration], null, null, "dotnet safe-migrate verify (details); fix the schema with a migration or restore a backup, or fix the history with 'dotnet safe-migrate repair'");
        }

        foreach (var entry in report.Unmodeled)
        {
            yield return new Finding(FindingCodes.UnmodeledObjectDiffers, FindingSeverity.Warning, $"{database}: {entry.Describe()}",
                entry.Migration is null ? [] : [entry.Migration], null, null, "not modeled by EF Core: compare it with the migration's Sql() by hand");
        }
    }

    private static DriftEntryResult Json(DriftEntry e) => new(e.Object, e.Kind, e.Change.ToString().ToLowerInvariant(), e.Expected, e.Actual, e.Migration);

    private static Table Table(IReadOnlyList<DriftEntry> entries)
    {
        var table = new Table().AddColumns("Object", "Change", "Migrations give", "Database has", "Migration");
        foreach (var e in entries)
        {
            table.AddRow(Markup.Escape(e.Object), e.Change.ToString().ToLowerInvariant(), Markup.Escape(e.Expected ?? "-"), Markup.Escape(e.Actual ?? "-"), Markup.Escape(e.Migration ?? "-"));
        }

        return table;
    }
}
