using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Tool.Output;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>
/// What <c>config show</c> prints: every effective setting with its value and source, as a table or as JSON
/// (<c>{ "schemaVersion": 1, "file": ..., "settings": [ { "key", "value", "source", "origin", "environmentVariable", "option" } ],
/// "lintSeverities": [...], "projects": [...] }</c>). A connection string is shown the way the rest of the tool
/// names a database (<see cref="PgConnectionInfo.Describe"/>): never its password.
/// </summary>
internal static class ConfigurationReport
{
    /// <summary>Writes the report; returns the exit code (0).</summary>
    public static int Write(Reporter reporter, EffectiveConfiguration configuration)
    {
        var settings = configuration.Settings.Select(s => new SettingEntry(
            s.Key, Shown(s), s.Source.Describe(), s.Source.Origin.ToString().ToLowerInvariant(), s.Definition.EnvironmentVariable,
            s.Definition.Option is null ? null : "--" + s.Definition.Option, s.Definition.Description)).ToList();
        var severities = configuration.Severities.Select(s => new SeverityEntry(s.Code, s.Severity.ToString().ToLowerInvariant(), s.Source.Describe())).ToList();
        var projects = configuration.Projects.Select(p => new ProjectEntry(p.Project, p.StartupProject, p.Context)).ToList();
        if (reporter.Json)
        {
            reporter.JsonDocument(new ConfigurationResult(configuration.File?.Path, settings, severities, projects));
            return ExitCodes.Success;
        }

        reporter.Info(configuration.File is null
            ? $"No {ConfigFile.FileName} found (searched from the current or --project folder up to the git work tree's root); 'dotnet safe-migrate init' writes one."
            : $"Configuration file: {configuration.File.Path}");
        var table = new Table().AddColumns("Setting", "Value", "Source");
        foreach (var entry in settings)
        {
            table.AddRow(Markup.Escape(entry.Key), Markup.Escape(entry.Value ?? "(none)"), entry.Origin == "default" ? "[grey]default[/]" : Markup.Escape(entry.Source));
        }

        foreach (var severity in severities)
        {
            table.AddRow(Markup.Escape($"lint.severities.{severity.Code}"), severity.Severity, Markup.Escape(severity.Source));
        }

        foreach (var (project, index) in projects.Select((p, i) => (p, i)))
        {
            table.AddRow(Markup.Escape($"projects[{index}]"), Markup.Escape(string.Join(", ", new[] { project.Project, project.StartupProject, project.Context }.Where(v => v is not null))), Markup.Escape(configuration.File!.Path));
        }

        reporter.Data(table);
        return ExitCodes.Success;
    }

    private static string? Shown(Setting setting)
    {
        if (setting.Value is null || setting.Definition.Kind != SettingKind.Secret)
        {
            return setting.Value;
        }

        try
        {
            return new PgConnectionInfo(setting.Value).Describe();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            return "(set; not shown: not a valid PostgreSQL connection string)";
        }
    }

    /// <summary>The JSON document of <c>config show --json</c>.</summary>
    internal sealed record ConfigurationResult(string? File, IReadOnlyList<SettingEntry> Settings, IReadOnlyList<SeverityEntry> LintSeverities, IReadOnlyList<ProjectEntry> Projects);

    /// <summary>One setting: key, value (null: none), source as text, origin (default, file, environment, commandline), its variable and option.</summary>
    internal sealed record SettingEntry(string Key, string? Value, string Source, string Origin, string EnvironmentVariable, string? Option, string Description);

    /// <summary>One lint severity override.</summary>
    internal sealed record SeverityEntry(string Code, string Severity, string Source);

    /// <summary>One entry of <c>projects</c>.</summary>
    internal sealed record ProjectEntry(string Project, string? StartupProject, string? Context);
}
