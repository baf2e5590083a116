using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// The pre-commit hook when the tool cannot be run (a wrong <c>--command</c> path; the default command with the tool
/// neither on PATH nor in a tool manifest, as in a GUI git client's short PATH): it says the tool could not be run and
/// how to install it or set its path, never that the migrations check failed.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HookToolMissingTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("/nonexistent/dotnet-safe-migrate")]
    [InlineData(null)] // "dotnet safe-migrate": not on PATH, and the sandbox has no tool manifest
    public void Hook_says_the_tool_could_not_be_run_and_how_to_install_it(string? command)
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        string[] install = command is null ? ["hook", "install"] : ["hook", "install", "--command", command];
        var installed = repo.Tool(new SandboxRun { WithProject = false }, install);
        Assert.True(installed.ExitCode == 0, installed.Describe());
        Assert.DoesNotContain(Environment.GetEnvironmentVariable("PATH")!.Split(':'), dir => File.Exists(Path.Combine(dir, "dotnet-safe-migrate")));

        repo.Write("Shop/Note.cs", "namespace Shop;\n\ninternal static class Note;\n");
        repo.GitOk("add", "-A");
        var before = repo.Head();

        var blocked = repo.Git("commit", "-m", "A note");

        Assert.True(blocked.ExitCode != 0, blocked.Describe());
        Assert.Equal(before, repo.Head());
        Assert.Contains("the tool could not be run", blocked.Output);
        Assert.Contains("dotnet tool install --global dotnet-safe-migrate", blocked.Output);
        Assert.Contains("hook install --command <path of dotnet-safe-migrate>", blocked.Output);
        Assert.DoesNotContain("the migrations check failed", blocked.Output);
    }
}
