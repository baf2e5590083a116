using System.Globalization;
using EfSafeMigrate.Lint;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Linting;

/// <summary>
/// The lint options shared by <c>lint</c>, <c>apply</c>, <c>rollback</c> and <c>check</c>:
/// <c>--small-table-rows N</c>, <c>--small-table-mb N</c> and <c>--severity CODE=error|warning|info</c> (repeatable).
/// </summary>
internal sealed class LintSettings
{
    private readonly CommandOption _rows;
    private readonly CommandOption _megabytes;
    private readonly CommandOption _severity;

    private LintSettings(CommandLineApplication command)
    {
        _rows = command.Option("--small-table-rows <N>", $"Lint: a table with fewer estimated rows than N (and under --small-table-mb) is small; its lock findings drop to info. Default: {LintOptions.DefaultSmallTableRows}.", CommandOptionType.SingleValue);
        _megabytes = command.Option("--small-table-mb <N>", $"Lint: a table under N MB (with indexes and TOAST) and under --small-table-rows is small. Default: {LintOptions.DefaultSmallTableBytes / (1024 * 1024)}.", CommandOptionType.SingleValue);
        _severity = command.Option("--severity <RULE>", "Lint: change a rule's severity (error, warning or info), e.g. --severity SM512=warning. Repeatable.", CommandOptionType.MultipleValue);
    }

    /// <summary>Adds the options to a command.</summary>
    public static LintSettings Add(CommandLineApplication command) => new(command);

    /// <summary>The options as given.</summary>
    /// <exception cref="CommandException">A value is not a number, or a severity is malformed or names an unknown code (exit 2).</exception>
    public LintOptions ToOptions()
    {
        var options = new LintOptions();
        if (_rows.HasValue())
        {
            options = options with { SmallTableRows = Number(_rows, "--small-table-rows") };
        }

        if (_megabytes.HasValue())
        {
            options = options with { SmallTableBytes = Number(_megabytes, "--small-table-mb") * 1024 * 1024 };
        }

        var overrides = new Dictionary<string, LintSeverity>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in _severity.Values.Where(v => v is not null))
        {
            var parts = value!.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || options.Rules.Find(parts[0]) is null || !Enum.TryParse<LintSeverity>(parts[1], ignoreCase: true, out var severity) || int.TryParse(parts[1], out _))
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"--severity takes CODE=LEVEL with a lint code ({string.Join(", ", options.Rules.Rules.Select(r => r.Code))}) and error, warning or info; not '{value}'.");
            }

            overrides[parts[0]] = severity;
        }

        return options with { SeverityOverrides = overrides };
    }

    private static long Number(CommandOption option, string name)
        => long.TryParse(option.Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CommandException(ExitCodes.UsageError, $"{name} takes a whole number (0 or more), not '{option.Value()}'.");
}
