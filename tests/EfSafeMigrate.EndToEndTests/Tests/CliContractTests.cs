using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>Parts of the CLI contract that cut across commands: common options, stdout for data only.</summary>
public class CliContractTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    private static readonly string[] Project =
        ["project", "startup-project", "context", "configuration", "framework", "runtime", "no-build", "connection", "verbose", "json", "no-color", "prefix-output"];

    /// <summary>The commands that never build: the project and the output options only.</summary>
    private static readonly string[] Local = ["project", "verbose", "json", "no-color", "prefix-output"];

    private static readonly string[] Lint = ["small-table-rows", "small-table-mb", "severity"];

    private static readonly string[] Fleet = ["fleet", "connections-from", "parallel", "canary", "continue", "stop-on-failure", "shard"];

    private static readonly string[] Run = ["no-backup", "lock-timeout", "ddl-lock-timeout", "ddl-lock-retries", "command-timeout", "backup-dir", "allow-unsafe", .. Lint];

    /// <summary>
    /// Each command's help lists exactly the options it takes: <c>--backup-dir</c> only where backups are written or read,
    /// <c>--yes</c> only where a confirmation is asked, <c>hook install</c> has <c>--project</c>.
    /// </summary>
    public static TheoryData<string, string[]> OptionSets() => new()
    {
        { "status", ["graph", .. Project] },
        { "plan", Project },
        { "lint", ["database", "against", .. Lint, .. Project] },
        { "script", ["idempotent", "no-transactions", "output", .. Project] },
        { "apply", ["fake", "fake-initial", "allow-unknown", "allow-pending-model-changes", "allow-edited", .. Fleet, .. Project, .. Run] },
        { "rollback", ["to", "backup", .. Project, .. Run, "yes", "from-other-database"] },
        { "backup create", ["lock-timeout", .. Project, "backup-dir"] },
        { "backup list", [.. Local, "connection", "backup-dir"] },
        { "backup verify", Local },
        { "backup restore", ["into", .. Project, "backup-dir", "yes", "from-other-database", "no-backup", "lock-timeout"] },
        { "backup prune", ["keep", "older-than", .. Local, "backup-dir"] },
        { "backup cleanup", ["lock-timeout", .. Project, "yes"] },
        { "rehearse", ["from-backup", "keep", "no-roundtrip", "lock-timeout", "ddl-lock-timeout", .. Project] },
        { "verify", Project },
        { "history", ["since", "migration", .. Project] },
        { "repair", ["remove-unknown", "mark-applied", "mark-pending", "reason", "lock-timeout", .. Project, "backup-dir"] },
        { "check", ["staged", "against", "build", "database", "schema", .. Lint, .. Project] },
        { "hash", [.. Local, "baseline"] },
        { "add", ["output-dir", "namespace", .. Project] },
        { "remove", ["force", "no-backup", .. Project, "backup-dir"] },
        { "merge", ["name", "rebase", "onto", .. Project] },
        { "squash", ["name", "finalize", "also-connection", "force", .. Project] },
        { "hook install", ["command", "project", "against", "verbose", "json", "no-color"] },
        { "hook uninstall", ["verbose", "json", "no-color"] },
        { "init", ["project", "startup-project", "context", "backup-dir", "force", "verbose", "no-color"] },
        { "config show", [.. Local, "startup-project", "context", "connection", "backup-dir", "lock-timeout", "command-timeout", "ddl-lock-timeout", "ddl-lock-retries", .. Lint] },
    };

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Help_lists_exactly_the_options_the_command_takes(string command, string[] expected)
    {
        using var process = RunningProcess.Start(ToolInstallation.Executable, [.. command.Split(' '), "--help"], Path.GetTempPath());
        var help = process.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(help.ExitCode == 0, help.Describe());

        // The option column of the "Options:" section: "  -p|--project <PROJECT>  The project ..." (descriptions are not read).
        var listed = help.StdOut.Split('\n')
            .SkipWhile(l => !l.StartsWith("Options:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.Trim().Length > 0)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\s{1,4}(?:-\S\|)?--(?<name>[a-z-]+)"))
            .Where(m => m.Success)
            .Select(m => m.Groups["name"].Value)
            .Where(name => name != "help")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(expected.Order(StringComparer.Ordinal).ToList(), listed);
    }

    /// <summary>A command without backups or confirmations refuses <c>--backup-dir</c> and <c>--yes</c> (exit 2), naming the option.</summary>
    [Theory]
    [InlineData("status", "--yes")]
    [InlineData("check", "--backup-dir")]
    [InlineData("apply", "--yes")]
    [InlineData("hash", "--no-build")]
    public void Options_a_command_does_not_take_are_usage_errors(string command, string option)
    {
        using var session = ToolSession.Create(Shop, output);

        var result = session.Run(command, option, "x");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains(option, result.StdErr);
    }

    /// <summary>"Data goes to stdout, messages to stderr": a usage error writes nothing to stdout, and exits 2.</summary>
    [Fact]
    public void Usage_error_exits_2_with_the_message_on_stderr_and_nothing_on_stdout()
    {
        using var session = ToolSession.Create(Shop, output);

        var result = session.Run("status", "--no-such-option");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("--no-such-option", result.StdErr);
        Assert.True(result.StdOut.Trim().Length == 0, result.Describe());
    }

    /// <summary>An unknown migration is a usage error (exit 2) that names it, and nothing is changed.</summary>
    [Fact]
    public void Apply_to_an_unknown_migration_exits_2_naming_it_and_changes_nothing()
    {
        using var session = ToolSession.Create(Shop, output);

        var result = session.Run("apply", "20990101000000_NoSuchMigration");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("20990101000000_NoSuchMigration", result.StdErr);
        Assert.Empty(Pg.History(session.ConnectionString));
        Assert.Empty(session.Archives());
    }
}
