using EfSafeMigrate.Lint;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>
/// The settings in effect for one run, each with where it came from. Layers, lowest first: the tool's defaults,
/// <c>safe-migrate.json</c> (<see cref="ConfigFile"/>), environment variables (<c>SAFE_MIGRATE_*</c>, one per
/// setting: <see cref="SettingDefinition.EnvironmentVariable"/>), the command line. Built once per run by
/// <see cref="Build"/>; commands read it through <c>ProjectOptions.Settings</c>, and the command-line
/// options it defaults receive its values before the command runs (<see cref="ConfigurationDefaults"/>).
/// </summary>
internal sealed class EffectiveConfiguration
{
    private readonly Dictionary<string, Setting> _settings;

    private EffectiveConfiguration(ConfigFile? file, Dictionary<string, Setting> settings, IReadOnlyList<(string Code, LintSeverity Severity, SettingSource Source)> severities)
    {
        File = file;
        _settings = settings;
        Severities = severities;
    }

    /// <summary>The configuration file read, or null when none was found.</summary>
    public ConfigFile? File { get; }

    /// <summary>Every scalar setting, in <see cref="SettingDefinition.All"/>'s order.</summary>
    public IEnumerable<Setting> Settings => SettingDefinition.All.Select(d => _settings[d.Key]);

    /// <summary>Lint severity overrides from the file and <c>SAFE_MIGRATE_LINT_SEVERITIES</c> (later entries win); the command line's <c>--severity</c> comes after them.</summary>
    public IReadOnlyList<(string Code, LintSeverity Severity, SettingSource Source)> Severities { get; }

    /// <summary>The <c>projects</c> list of the file (empty without one).</summary>
    public IReadOnlyList<ConfiguredProject> Projects => File?.Projects ?? [];

    /// <summary>The effective setting of <paramref name="definition"/>.</summary>
    public Setting this[SettingDefinition definition] => _settings[definition.Key];

    /// <summary>Only the built-in defaults (no file, no environment, no command line).</summary>
    public static EffectiveConfiguration Defaults { get; } = Build(null, _ => null, null);

    /// <summary>
    /// Layers the settings. When the file has none of the top-level <c>project</c>, <c>startupProject</c> and <c>context</c>
    /// but a <c>projects</c> list, its first entry supplies them.
    /// </summary>
    /// <param name="file">The configuration file, or null.</param>
    /// <param name="environment">Reads an environment variable (null when unset).</param>
    /// <param name="command">The parsed command whose options are the top layer, or null (no command line).</param>
    /// <exception cref="CommandException">An environment variable holds an invalid value (exit 2, naming it).</exception>
    public static EffectiveConfiguration Build(ConfigFile? file, Func<string, string?> environment, CommandLineApplication? command)
    {
        var settings = new Dictionary<string, Setting>(StringComparer.Ordinal);
        var options = command?.GetOptions().Where(o => o.LongName is not null).ToDictionary(o => o.LongName!, StringComparer.Ordinal) ?? [];
        var commandPath = command is null ? string.Empty : ConfigurationDefaults.CommandPath(command);
        var first = file is null || file.Values.Keys.Any(k => k is "project" or "startupProject" or "context") ? null : file.Projects.FirstOrDefault();
        foreach (var definition in SettingDefinition.All)
        {
            var setting = new Setting(definition, definition.Default, SettingSource.Default);
            if (file is not null && file.Values.TryGetValue(definition.Key, out var fromFile))
            {
                setting = new Setting(definition, fromFile.Value, new SettingSource(SettingOrigin.File, file.Path, fromFile.Line));
            }
            else if (first is not null && FromProjectList(definition, first) is { } listed)
            {
                setting = new Setting(definition, listed, new SettingSource(SettingOrigin.File, file!.Path));
            }

            if (environment(definition.EnvironmentVariable) is { } raw && raw.Length > 0)
            {
                var (value, error) = definition.Normalise(raw, Directory.GetCurrentDirectory());
                setting = value is null
                    ? throw new CommandException(ExitCodes.UsageError, $"The environment variable {definition.EnvironmentVariable} ({definition.Key}) is not valid: {error}. Fix or unset it ('dotnet safe-migrate config show' prints what is in effect).")
                    : new Setting(definition, value, new SettingSource(SettingOrigin.Environment, definition.EnvironmentVariable));
            }

            if (definition.AppliesTo(commandPath) && options.TryGetValue(definition.Option!, out var option) && option.HasValue()
                && !ConfigurationDefaults.IsApplied(option))
            {
                var given = option.Value()!;
                setting = new Setting(definition, definition.Kind == SettingKind.Path ? Path.GetFullPath(given) : given,
                    new SettingSource(SettingOrigin.CommandLine, "--" + definition.Option));
            }

            settings[definition.Key] = setting;
        }

        var severities = new List<(string, LintSeverity, SettingSource)>();
        if (file is not null)
        {
            severities.AddRange(file.Severities.Select(s => (s.Key, s.Value.Severity, new SettingSource(SettingOrigin.File, file.Path, s.Value.Line))));
        }

        if (environment(SettingDefinition.SeveritiesVariable) is { Length: > 0 } list)
        {
            severities.AddRange(ParseSeverities(list));
        }

        return new EffectiveConfiguration(file, settings, severities);
    }

    /// <summary>Reads <c>SAFE_MIGRATE_LINT_SEVERITIES</c>: <c>CODE=LEVEL</c> pairs separated by commas.</summary>
    /// <exception cref="CommandException">A malformed pair or an unknown code (exit 2).</exception>
    public static IEnumerable<(string Code, LintSeverity Severity, SettingSource Source)> ParseSeverities(string list)
    {
        var rules = new LintOptions().Rules;
        var source = new SettingSource(SettingOrigin.Environment, SettingDefinition.SeveritiesVariable);
        foreach (var pair in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || rules.Find(parts[0]) is null || !Enum.TryParse<LintSeverity>(parts[1], ignoreCase: true, out var severity) || int.TryParse(parts[1], out _))
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"The environment variable {SettingDefinition.SeveritiesVariable} takes CODE=LEVEL pairs separated by commas (codes: {string.Join(", ", rules.Rules.Select(r => r.Code))}; levels: error, warning, info), not '{pair}'. Fix or unset it.");
            }

            yield return (parts[0], severity, source);
        }
    }

    private static string? FromProjectList(SettingDefinition definition, ConfiguredProject project)
        => definition.Key switch
        {
            "project" => project.Project,
            "startupProject" => project.StartupProject,
            "context" => project.Context,
            _ => null,
        };
}
