using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Projects;

/// <summary>
/// The project metadata cache seen from outside: with <c>--no-build</c> a command after the first reuses the MSBuild
/// properties read before (<c>--verbose</c> says so, and MSBuild is not run) with the same result; a command that builds
/// reads them from its build (one MSBuild run) and keeps them for the next <c>--no-build</c> command. What makes an entry stale is covered by the unit tests
/// (<c>ProjectMetadataCacheTests</c>). Runs alone: a class that builds samples/Shop at the same time rewrites its restore
/// output, which rightly makes the entry stale between the two commands.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public class MetadataCacheTests(ITestOutputHelper output)
{
    [Fact]
    public void No_build_commands_reuse_the_project_metadata_and_verbose_says_so()
    {
        using var session = ToolSession.Create(FixtureProjects.Shop, output);
        var first = session.Run("status", "--json", "--verbose");
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Contains("project metadata", first.StdErr);

        var second = session.Run("status", "--json", "--verbose");

        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Contains("project metadata read from the cache", second.StdErr);
        Assert.Contains(Path.Combine(FixtureProjects.Shop.Directory, "obj", "safe-migrate", "metadata"), second.StdErr);
        Assert.Equal(ToolSession.Json(first).GetProperty("migrations").ToString(), ToolSession.Json(second).GetProperty("migrations").ToString());
        Assert.Equal(FixtureProjects.Shop.MigrationIds.Count, ToolSession.Json(second).GetProperty("migrations").GetArrayLength());

        // The build of the configuration the tests built already: up to date, so cheap. It reads the properties from the
        // build, not from the cache, and writes the entry the next --no-build command reads (the entry is removed first).
        var cacheFolder = Path.Combine(FixtureProjects.Shop.Directory, "obj", "safe-migrate", "metadata");
        Directory.Delete(cacheFolder, recursive: true);
        var built = session.Run(new RunOptions { Build = true }, "status", "--verbose", "--configuration", FixtureProjects.Configuration);
        Assert.True(built.ExitCode == 0, built.Describe());
        Assert.DoesNotContain("project metadata read from the cache", built.StdErr);
        Assert.Contains("project metadata read from the build", built.StdErr);

        var afterBuild = session.Run("status", "--json", "--verbose");
        Assert.True(afterBuild.ExitCode == 0, afterBuild.Describe());
        Assert.Contains("project metadata read from the cache", afterBuild.StdErr);
        Assert.Equal(ToolSession.Json(first).GetProperty("migrations").ToString(), ToolSession.Json(afterBuild).GetProperty("migrations").ToString());
    }
}
