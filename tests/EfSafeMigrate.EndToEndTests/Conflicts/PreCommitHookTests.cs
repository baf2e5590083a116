using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// <c>hook install</c> / <c>hook uninstall</c> in a real repository, with real <c>git commit</c>s: the hook blocks a
/// commit that stages a migration missing from safe-migrate.sum and lets clean commits through; an existing
/// pre-commit hook keeps running, first, and comes back byte for byte after uninstall. Nothing here builds.
/// </summary>
/// <remarks>The hook is a POSIX sh script; file modes are Unix ones.</remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PreCommitHookTests(ITestOutputHelper output)
{
    private const string HookMarker = "# dotnet-safe-migrate pre-commit hook";

    [Fact]
    public void Hook_blocks_commit_of_unrecorded_migration_and_lets_clean_commits_through()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        var install = repo.Tool(new SandboxRun { WithProject = false }, "hook", "install", "--command", GitSandbox.ToolExecutable);
        Assert.True(install.ExitCode == 0, install.Describe());
        var hook = Path.Combine(repo.Dir, ".git", "hooks", "pre-commit");
        Assert.True(File.Exists(hook), install.Describe());
        Assert.Contains(HookMarker, File.ReadAllText(hook));
        Assert.Contains(GitSandbox.ToolExecutable, File.ReadAllText(hook));
        Assert.True((File.GetUnixFileMode(hook) & UnixFileMode.UserExecute) != 0, "the hook is executable");

        // A clean commit that touches no C# file goes through.
        var start = repo.Head();
        repo.Write("README.md", "The shop.\n");
        repo.GitOk("add", "README.md");
        repo.GitOk("commit", "-q", "-m", "README");
        Assert.NotEqual(start, repo.Head());

        // A migration copied under a new id and class name, staged without updating safe-migrate.sum.
        var id = CopyMigration(repo, "20261121064223_AddProductSku", "20261121064300_AddProductNote");
        repo.GitOk("add", "-A");
        var before = repo.Head();

        var blocked = repo.Git("commit", "-m", "Add AddProductNote");

        Assert.True(blocked.ExitCode != 0, "the commit should be blocked:" + Environment.NewLine + blocked.Describe());
        Assert.Equal(before, repo.Head());
        Assert.Contains("SM101", blocked.Output);
        Assert.Contains(id, blocked.Output);
        Assert.Contains("dotnet safe-migrate hash", blocked.Output); // the fix
        Assert.Contains("commit blocked", blocked.Output);

        // The fix: record it, stage the integrity file, commit again.
        repo.ToolOk("hash");
        Assert.Contains(id, repo.Read(GitSandbox.SumFile));
        repo.GitOk("add", GitSandbox.SumFile);
        var commit = repo.Git("commit", "-m", "Add AddProductNote");

        Assert.True(commit.ExitCode == 0, commit.Describe());
        Assert.NotEqual(before, repo.Head());
        var committed = GitSandbox.Lines(repo.GitOk("show", "--name-only", "--format=", "HEAD").StdOut);
        Assert.Contains($"{GitSandbox.Migrations}/{id}.cs", committed);
        Assert.Contains(GitSandbox.SumFile, committed);
        Assert.Contains("No problems found", commit.Output); // the hook did run the check
    }

    [Fact]
    public void Hook_install_keeps_existing_hook_running_first_and_uninstall_restores_it()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        var log = Path.Combine(repo.Scratch, "hooks.log");
        var hooks = Path.Combine(repo.Dir, ".git", "hooks");
        var hook = Path.Combine(hooks, "pre-commit");
        var original = $"#!/bin/sh\n# the team's own pre-commit hook\necho previous-hook >> '{log}'\n";
        File.WriteAllText(hook, original);
        const UnixFileMode originalMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                          UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        File.SetUnixFileMode(hook, originalMode);
        var originalBytes = File.ReadAllBytes(hook);

        // The tool, started through a wrapper that records when it runs (an absolute path, as --command wants).
        var wrapper = Path.Combine(repo.Scratch, "safe-migrate-wrapper");
        File.WriteAllText(wrapper, $"#!/bin/sh\necho safe-migrate >> '{log}'\nexec '{GitSandbox.ToolExecutable}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, originalMode);

        var install = repo.Tool(new SandboxRun { WithProject = false }, "hook", "install", "--command", wrapper);

        Assert.True(install.ExitCode == 0, install.Describe());
        Assert.Contains("pre-commit.pre-safe-migrate", install.Output);
        var chained = Path.Combine(hooks, "pre-commit.pre-safe-migrate");
        Assert.Equal(originalBytes, File.ReadAllBytes(chained));
        Assert.Contains(HookMarker, File.ReadAllText(hook));

        // A blocked commit: the earlier hook ran, then the check.
        CopyMigration(repo, "20261121064223_AddProductSku", "20261121064300_AddProductNote");
        repo.GitOk("add", "-A");
        var blocked = repo.Git("commit", "-m", "Add AddProductNote");
        Assert.True(blocked.ExitCode != 0, blocked.Describe());
        Assert.Contains("SM101", blocked.Output);
        Assert.Equal(["previous-hook", "safe-migrate"], GitSandbox.Lines(File.ReadAllText(log)));

        // A clean commit: both run again, in the same order, and it goes through.
        repo.ToolOk("hash");
        repo.GitOk("add", GitSandbox.SumFile);
        var head = repo.Head();
        var commit = repo.Git("commit", "-m", "Add AddProductNote");
        Assert.True(commit.ExitCode == 0, commit.Describe());
        Assert.NotEqual(head, repo.Head());
        Assert.Equal(["previous-hook", "safe-migrate", "previous-hook", "safe-migrate"], GitSandbox.Lines(File.ReadAllText(log)));

        var uninstall = repo.Tool(new SandboxRun { WithProject = false }, "hook", "uninstall");

        Assert.True(uninstall.ExitCode == 0, uninstall.Describe());
        Assert.Equal(originalBytes, File.ReadAllBytes(hook));
        Assert.Equal(originalMode, File.GetUnixFileMode(hook));
        Assert.False(File.Exists(chained), "the kept hook is renamed back, not copied");
        Assert.Equal(
            ["pre-commit"],
            Directory.GetFiles(hooks).Select(Path.GetFileName).Where(n => n!.StartsWith("pre-commit", StringComparison.Ordinal) && !n.EndsWith(".sample", StringComparison.Ordinal)));

        // Only the team's hook runs now: a commit of another unrecorded migration is not blocked any more.
        CopyMigration(repo, "20261121064223_AddProductSku", "20261121064301_AddProductNote2");
        repo.GitOk("add", "-A");
        var unguarded = repo.Git("commit", "-m", "Add AddProductNote2");
        Assert.True(unguarded.ExitCode == 0, unguarded.Describe());
        Assert.Equal(["previous-hook", "safe-migrate", "previous-hook", "safe-migrate", "previous-hook"], GitSandbox.Lines(File.ReadAllText(log)));
    }

    /// <summary>
    /// Copies a migration's two files under a new id and class name (a text edit, no tool involved), so that the
    /// copy is a migration EF Core would discover but safe-migrate.sum does not record. Returns the new id.
    /// </summary>
    private static string CopyMigration(GitSandbox repo, string sourceId, string newId)
    {
        var (sourceStamp, sourceName) = (sourceId[..14], sourceId[15..]);
        var (newStamp, newName) = (newId[..14], newId[15..]);
        foreach (var suffix in new[] { ".cs", ".Designer.cs" })
        {
            var text = repo.Read($"{GitSandbox.Migrations}/{sourceId}{suffix}")
                .Replace(sourceStamp + "_" + sourceName, newStamp + "_" + newName, StringComparison.Ordinal)
                .Replace(sourceName, newName, StringComparison.Ordinal);
            repo.Write($"{GitSandbox.Migrations}/{newId}{suffix}", text);
        }

        return newId;
    }
}
