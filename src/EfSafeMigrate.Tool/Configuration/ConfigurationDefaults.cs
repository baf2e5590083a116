using System.Runtime.CompilerServices;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Configuration;

/// <summary>
/// Puts the configuration under the command line: once the arguments are parsed, finds <c>safe-migrate.json</c>
/// (from the <c>--project</c> folder, else the current folder; <see cref="ConfigFile.Find"/>), layers it with the
/// environment (<see cref="EffectiveConfiguration"/>), and gives every option of the selected command that the
/// command line left out the value in effect, so that the command's own parsing and checks see it like a typed
/// option. The inner process (same folder, same arguments, same environment) applies the same configuration itself;
/// only a connection string from <c>SAFE_MIGRATE_CONNECTION</c> is handed to it as <c>--connection</c>
/// (<see cref="ArgumentsFor"/>, then hidden from its command line by <c>ConnectionHandOver</c>).
/// </summary>
internal static class ConfigurationDefaults
{
    private static readonly ConditionalWeakTable<CommandLineApplication, Applied> Runs = new();
    private static readonly ConditionalWeakTable<CommandOption, object> AppliedOptions = new();

    /// <summary>The commands that read no configuration: <c>init</c> writes it (and must work over a broken file).</summary>
    private static readonly string[] Unconfigured = ["init"];

    /// <summary>The full command path without the tool's name: <c>backup prune</c>.</summary>
    public static string CommandPath(CommandLineApplication command)
    {
        var names = new Stack<string>();
        for (var c = command; c.Parent is not null; c = c.Parent)
        {
            names.Push(c.Name ?? string.Empty);
        }

        return string.Join(' ', names);
    }

    /// <summary>Whether <paramref name="option"/>'s value was given by the configuration rather than typed.</summary>
    public static bool IsApplied(CommandOption option) => AppliedOptions.TryGetValue(option, out _);

    /// <summary>
    /// Applies the configuration to <paramref name="command"/> (the parsed, selected command). Does nothing for
    /// help, for the root and for <c>init</c>, and applies only once per parsed command.
    /// </summary>
    /// <exception cref="CommandException">The configuration file or an environment variable is invalid (exit 2).</exception>
    public static void Apply(CommandLineApplication command, Func<string, string?>? environment = null)
    {
        var path = CommandPath(command);
        if (Runs.TryGetValue(command, out _) || command.Parent is null || Unconfigured.Contains(path.Split(' ')[0]) || command.GetOptions().Any(o => o.LongName == "help" && o.HasValue()))
        {
            return;
        }

        environment ??= Environment.GetEnvironmentVariable;
        var configuration = Read(command, environment);
        var arguments = new List<string>();
        var options = command.GetOptions().Where(o => o.LongName is not null).ToDictionary(o => o.LongName!, StringComparer.Ordinal);
        foreach (var setting in configuration.Settings)
        {
            if (setting.Source.Origin is not (SettingOrigin.File or SettingOrigin.Environment) || setting.Value is null
                || !setting.Definition.AppliesTo(path) || !options.TryGetValue(setting.Definition.Option!, out var option) || option.HasValue()
                || (setting.Definition == SettingDefinition.CheckAgainst && options.TryGetValue("staged", out var staged) && staged.HasValue()))
            {
                continue;
            }

            option.Values.Add(setting.Value);
            AppliedOptions.AddOrUpdate(option, setting);
            if (setting.Definition.Kind == SettingKind.Secret)
            {
                // The inner process runs in the same folder with the same arguments and environment, so it finds the same
                // configuration itself; only SAFE_MIGRATE_CONNECTION does not reach it (ConnectionHandOver removes it there).
                arguments.Add("--" + option.LongName);
                arguments.Add(setting.Value);
            }
        }

        if (options.TryGetValue("severity", out var severity) && configuration.Severities.Count > 0)
        {
            // Before the typed ones: later values win, and the command line is the top layer.
            var configured = configuration.Severities.Select(s => $"{s.Code}={s.Severity.ToString().ToLowerInvariant()}").ToList();
            severity.Values.InsertRange(0, configured);
        }

        Runs.AddOrUpdate(command, new Applied(configuration, arguments));
    }

    /// <summary>The configuration in effect for <paramref name="command"/>: the one <see cref="Apply"/> built, else built now.</summary>
    /// <exception cref="CommandException">The configuration file or an environment variable is invalid (exit 2).</exception>
    public static EffectiveConfiguration For(CommandLineApplication command)
        => Runs.TryGetValue(command, out var applied) ? applied.Configuration : Read(command, Environment.GetEnvironmentVariable);

    /// <summary>
    /// The arguments for the inner process: <paramref name="arguments"/> (as typed) with the connection string the
    /// environment gave inserted before <c>--</c>.
    /// </summary>
    public static IReadOnlyList<string> ArgumentsFor(CommandLineApplication command, IReadOnlyList<string> arguments)
    {
        if (!Runs.TryGetValue(command, out var applied) || applied.Arguments.Count == 0)
        {
            return arguments;
        }

        var separator = arguments.ToList().IndexOf("--");
        return separator < 0
            ? [.. arguments, .. applied.Arguments]
            : [.. arguments.Take(separator), .. applied.Arguments, .. arguments.Skip(separator)];
    }

    /// <summary>The folder the search for <c>safe-migrate.json</c> starts from: the <c>--project</c> option's folder, else the current folder.</summary>
    public static string StartFolder(CommandLineApplication command)
    {
        var project = command.GetOptions().FirstOrDefault(o => o.LongName == "project" && o.HasValue() && !IsApplied(o))?.Value();
        if (string.IsNullOrEmpty(project))
        {
            return Directory.GetCurrentDirectory();
        }

        var full = Path.GetFullPath(project);
        return Directory.Exists(full) ? full : Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
    }

    private static EffectiveConfiguration Read(CommandLineApplication command, Func<string, string?> environment)
    {
        var file = ConfigFile.Find(StartFolder(command)) is { } found ? ConfigFile.Load(found) : null;
        return EffectiveConfiguration.Build(file, environment, command);
    }

    private sealed record Applied(EffectiveConfiguration Configuration, IReadOnlyList<string> Arguments);
}
