using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace EfSafeMigrate.EndToEndTests.Packaging;

/// <summary>
/// The CI recipes in docs/ci are valid YAML, and every <c>dotnet safe-migrate</c> command line in them names a command
/// the packed tool has, with options that command's <c>--help</c> lists.
/// </summary>
public sealed partial class CiRecipeTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Recipes =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "docs", "ci"))
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new object[] { Path.GetFileName(f) });

    [Theory]
    [MemberData(nameof(Recipes))]
    public void Every_safe_migrate_command_in_the_recipe_exists_with_its_options(string recipe)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, "docs", "ci", recipe)))
        {
            stream.Load(reader); // throws on invalid YAML
        }

        var commands = stream.Documents.SelectMany(d => Scalars(d.RootNode))
            .SelectMany(s => CommandLine().Matches(s).Select(m => m.Groups["args"].Value))
            .ToList();
        Assert.NotEmpty(commands);

        var help = new Dictionary<string, string>();
        foreach (var command in commands)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = words[0];
            Assert.Matches("^[a-z]+$", name);
            if (!help.TryGetValue(name, out var text))
            {
                var result = RunningProcess.Run(ToolInstallation.Executable, [name, "--help"], RepoPaths.Root, TimeSpan.FromMinutes(1));
                Assert.True(result.ExitCode == 0, $"{recipe}: 'dotnet safe-migrate {name}' is not a command:{Environment.NewLine}{result.Describe()}");
                help[name] = text = result.StdOut;
            }

            foreach (var option in words.Skip(1).Where(w => w.StartsWith('-')).Select(w => w.Split('=')[0]))
            {
                var listed = option.StartsWith("--", StringComparison.Ordinal)
                    ? Regex.IsMatch(text, $@"(^|\s|\|){Regex.Escape(option)}(\s|$)", RegexOptions.Multiline)
                    : Regex.IsMatch(text, $@"(^|\s){Regex.Escape(option)}\|", RegexOptions.Multiline);
                Assert.True(listed, $"{recipe}: 'dotnet safe-migrate {command}': {name} has no option {option}");
            }

            output.WriteLine($"{recipe}: dotnet safe-migrate {command}");
        }
    }

    private static IEnumerable<string> Scalars(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => sequence.Children.SelectMany(Scalars),
        YamlMappingNode mapping => mapping.Children.SelectMany(p => Scalars(p.Key).Concat(Scalars(p.Value))),
        _ => [],
    };

    /// <summary>"dotnet safe-migrate ARGS" up to a shell redirection, pipe, separator or the end of the line.</summary>
    [GeneratedRegex(@"dotnet safe-migrate (?<args>[^\n>|;&]+)")]
    private static partial Regex CommandLine();
}
