using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Projects;

/// <summary>
/// <c>apply</c> when the build output is older than the migrations (right after <c>add</c>, with <c>--no-build</c>), and on
/// a database that does not exist with nothing to apply (issue 9, item 14); a project that does not compile (the build's
/// errors in the message, exit 2).
/// </summary>
public class BuildOutputTests(ITestOutputHelper output)
{
    [Fact]
    public void Apply_no_build_right_after_add_says_the_build_output_is_older_than_the_migrations()
    {
        var fixture = ShapeFixtures.LibraryStartup;
        FixtureProjects.EnsureBuilt(fixture);
        using var session = ToolSession.Create(fixture, output, build: false);
        // A copy of the built class library (sources, bin, obj), so that 'add' can change it; inside the repository,
        // so that its Directory.Build.props (the target framework) applies as to the fixture.
        var copy = Path.Combine(RepoPaths.E2eTemp, "stale-build", Guid.NewGuid().ToString("N")[..12], "LibraryStartup");
        CopyFolder(fixture.Directory, copy);
        using var cleanup = new FolderCleanup(Path.GetDirectoryName(copy)!);
        var project = new FixtureProject(Path.Combine(copy, "LibraryStartup.csproj"), fixture.MigrationIds);
        string[] common = ["-p", project.ProjectPath, "--no-build", "--configuration", FixtureProjects.Configuration, "--no-color"];

        var add = ShapeFixtures.RunTool(session, null, ["add", "AddNothing", .. common]);
        Assert.True(add.ExitCode == 0, add.Describe());
        var added = FixtureProjects.ReadMigrationIds(copy).Except(fixture.MigrationIds).Single();

        var apply = ShapeFixtures.RunTool(session, null, ["apply", .. common, "--backup-dir", session.BackupDir]);

        Assert.True(apply.ExitCode == 2, apply.Describe());
        Assert.Contains("The build output is older than the migrations", apply.StdErr);
        Assert.Contains(added, apply.StdErr);
        Assert.Contains("Build the project (run without --no-build", apply.StdErr);
        Assert.DoesNotContain("Nothing to do", apply.StdErr);
        Assert.Empty(Pg.History(session.ConnectionString));
    }

    [Fact]
    public void Apply_with_nothing_to_apply_on_a_database_that_does_not_exist_says_it_created_it()
    {
        using var session = ToolSession.Create(FixtureProjects.Shop, output);
        using var missing = E2eDatabase.Adopt();
        var connection = new NpgsqlConnectionStringBuilder(session.ConnectionString) { Database = missing.Name }.ConnectionString;

        var apply = session.Run(new RunOptions { EnvironmentConnection = connection }, "apply", "0", "--json");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.True(Pg.DatabaseExists(E2eDatabase.ServerConnectionString, missing.Name));
        Assert.Contains("did not exist, so this run created it, empty", apply.StdErr);
        Assert.DoesNotContain("is already at", apply.StdErr);
        var json = ToolSession.Json(apply);
        Assert.True(json.GetProperty("databaseCreated").GetBoolean(), apply.Describe());
        Assert.Equal(0, json.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public void A_project_that_does_not_compile_fails_with_the_compilers_error_and_exit_code_2()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        repo.Edit("Shop/Model/Category.cs", "public string Name { get; set; } = \"\";", "public string Name { get; set; } = 42;");

        var status = repo.Tool("status");

        Assert.True(status.ExitCode == 2, status.Describe());
        Assert.Contains($"Build failed for '{repo.ProjectPath}'", status.StdErr);
        Assert.Contains("Category.cs(7,", status.StdErr);
        Assert.Contains("error CS0029", status.StdErr);
        Assert.Contains("Fix the build errors and run again, or use --no-build.", status.StdErr);
        Assert.DoesNotContain("without naming an error", status.StdErr);
        Assert.False(File.Exists(Path.Combine(repo.ProjectDir, "bin", "Debug", "net10.0", "Shop.dll")), "the build must not have produced the assembly");
    }

    private sealed class FolderCleanup(string folder) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
