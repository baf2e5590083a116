using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>Parts of the CLI contract that cut across commands: common options, stdout for data only.</summary>
public class CliContractTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    /// <summary>The contract lists <c>--backup-dir</c> and <c>--yes</c> among the options of every command.</summary>
    [Fact]
    public void Common_options_backup_dir_and_yes_are_accepted_by_every_command()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply", "--yes");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var archive = Assert.Single(session.Archives());
        using var copy = E2eDatabase.Adopt();
        var backupDir = new RunOptions { BackupDir = session.BackupDir };

        string[][] commands =
        [
            ["status", "--yes"],
            ["plan", "--yes"],
            ["script", "--yes", "-o", Path.Combine(session.WorkDir, "all.sql")],
            ["backup", "verify", archive, "--yes"],
            ["backup", "restore", archive, "--into", copy.Name, "--yes"],
        ];
        var failures = new List<string>();
        foreach (var command in commands)
        {
            var result = session.Run(backupDir, command);
            if (result.ExitCode != 0)
            {
                failures.Add(result.Describe(2_000));
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, failures));
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
