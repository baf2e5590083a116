using System.Diagnostics;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// <c>hook install --against REF</c> (and <c>check.against</c> in safe-migrate.json) in a real repository: the hook runs
/// <c>check --staged --against REF</c>, so a real <c>git commit</c> of a migration that touches a column a migration on
/// REF touched since the fork is blocked (SM203) with both migrations named; nothing builds. A ref git cannot resolve
/// is refused at install time rather than blocking every commit later.
/// </summary>
/// <remarks>The hook is a POSIX sh script.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PreCommitHookAgainstTests(ITestOutputHelper output)
{
    private const string OnMain = "20991230000000_WidenCustomerEmail";
    private const string OnFeature = "20991231000000_RenameCustomerEmail";

    [Fact]
    public void Hook_with_against_blocks_a_commit_whose_migration_touches_a_column_main_touched_since_the_fork()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        repo.GitOk("branch", "feature");
        WriteMigration(repo, OnMain, """migrationBuilder.AlterColumn<string>(name: "Email", table: "Customers", type: "character varying(400)", maxLength: 400, nullable: false);""");
        repo.ToolOk("hash");
        repo.CommitAll("Widen Customers.Email");
        repo.GitOk("checkout", "-q", "feature");

        var unknown = repo.Tool(new SandboxRun { WithProject = false }, "hook", "install", "--command", GitSandbox.ToolExecutable, "--against", "origin/no-such-branch");
        Assert.True(unknown.ExitCode == 2, unknown.Describe());
        Assert.Contains("'origin/no-such-branch' is not a branch or commit git knows here", unknown.StdErr);
        var hook = Path.Combine(repo.Dir, ".git", "hooks", "pre-commit");
        Assert.False(File.Exists(hook), "nothing is installed for a ref git cannot resolve");

        var install = repo.Tool(new SandboxRun { WithProject = false }, "hook", "install", "--command", GitSandbox.ToolExecutable, "--against", GitSandbox.Branch);

        Assert.True(install.ExitCode == 0, install.Describe());
        Assert.Contains($"check --staged --against '{GitSandbox.Branch}'", File.ReadAllText(hook));
        Assert.Contains($"--against '{GitSandbox.Branch}'", install.Output);

        WriteMigration(repo, OnFeature, """migrationBuilder.RenameColumn(name: "Email", table: "Customers", newName: "EmailAddress");""");
        repo.ToolOk("hash");
        repo.GitOk("add", "-A");
        var before = repo.Head();
        var watch = Stopwatch.StartNew();

        var blocked = repo.Git("commit", "-m", "Rename Customers.Email");

        output.WriteLine($"git commit with the hook's check --staged --against: {watch.ElapsedMilliseconds} ms");
        Assert.True(blocked.ExitCode != 0, "the commit should be blocked:" + Environment.NewLine + blocked.Describe());
        Assert.Equal(before, repo.Head());
        Assert.Contains("SM203", blocked.Output);
        Assert.Contains("column Customers.Email", blocked.Output);
        Assert.Contains(OnMain, blocked.Output);
        Assert.Contains(OnFeature, blocked.Output);
        Assert.Contains("commit blocked", blocked.Output);
        Assert.DoesNotContain("Build started", blocked.Output);

        // Configured instead of typed: check.against in safe-migrate.json goes into the hook the same way.
        repo.Tool(new SandboxRun { WithProject = false }, "hook", "uninstall");
        repo.Write("safe-migrate.json", $$"""{ "check": { "against": "{{GitSandbox.Branch}}" } }""" + "\n");
        var configured = repo.Tool(new SandboxRun { WithProject = false }, "hook", "install", "--command", GitSandbox.ToolExecutable);
        Assert.True(configured.ExitCode == 0, configured.Describe());
        Assert.Contains($"check --staged --against '{GitSandbox.Branch}'", File.ReadAllText(hook));
        var again = repo.Git("commit", "-m", "Rename Customers.Email");
        Assert.True(again.ExitCode != 0, again.Describe());
        Assert.Contains("SM203", again.Output);
    }

    // A migration in one file (both attributes on the class): what the semantic check reads as syntax, without a build.
    private static void WriteMigration(GitSandbox repo, string id, string up) => repo.Write($"{GitSandbox.Migrations}/{id}.cs", $$"""
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Shop.Migrations
        {
            [DbContext(typeof(Shop.ShopContext))]
            [Migration("{{id}}")]
            public partial class M{{id[..14]}} : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
                    {{up}}
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                }
            }
        }

        """);
}
