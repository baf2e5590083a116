using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tests.Projects;

/// <summary>
/// The project metadata cache on real files in a temporary folder: a hit while nothing changed, a miss when anything the
/// MSBuild evaluation reads changed (the project, a Directory.Build.* above it, an imported file, the restore output,
/// a referenced environment variable, the global properties), no entry for imports it cannot follow, and a miss for an
/// unreadable entry.
/// </summary>
public sealed class ProjectMetadataCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "safe-migrate-metadata-cache-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _projectFile;
    private readonly string _obj;

    public ProjectMetadataCacheTests()
    {
        var projectDir = Path.Combine(_root, "repo", "src", "App");
        _obj = Path.Combine(projectDir, "obj");
        Directory.CreateDirectory(_obj);
        _projectFile = Path.Combine(projectDir, "App.csproj");
        File.WriteAllText(_projectFile, "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(_root, "repo", "Directory.Build.props"), "<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(_obj, "project.assets.json"), "{\"version\": 3}");
        File.WriteAllText(Path.Combine(_obj, "App.csproj.nuget.g.props"), "<Project />");
    }

    private ProjectMetadata Metadata => new(
        _projectFile, Path.GetDirectoryName(_projectFile) + "/", "App", "App", "/out/", "/out/App.dll", "/out/App.deps.json",
        "/out/App.runtimeconfig.json", ["/packages/"], "10.0.0");

    private string Write(string? configuration = "Release") => ProjectMetadataCache.Write(Metadata, configuration, null, null, _obj + "/");

    private ProjectMetadataCache.Lookup Read(string? configuration = "Release") => ProjectMetadataCache.TryRead(_projectFile, configuration, null, null);

    [Fact]
    public void An_entry_is_used_while_nothing_changed_and_lives_in_the_projects_obj_folder()
    {
        Assert.Contains("no cached project metadata", Read().Explanation);
        Assert.StartsWith("project metadata cached", Write());

        var lookup = Read();

        Assert.Equal(Metadata with { PackageFolders = lookup.Metadata!.PackageFolders }, lookup.Metadata);
        Assert.Equal(["/packages/"], lookup.Metadata.PackageFolders);
        Assert.Contains("read from the cache", lookup.Explanation);
        var entry = ProjectMetadataCache.EntryPath(_projectFile, "Release", null, null);
        Assert.StartsWith(Path.Combine(_obj, "safe-migrate", "metadata") + Path.DirectorySeparatorChar, entry);
        Assert.True(File.Exists(entry));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(entry)!, "*.tmp"));
    }

    [Theory]
    [InlineData("edit the project file")]
    [InlineData("edit Directory.Build.props above the project")]
    [InlineData("add Directory.Build.targets next to the project")]
    [InlineData("add Directory.Packages.props at the root")]
    [InlineData("add global.json")]
    [InlineData("edit obj/project.assets.json")]
    [InlineData("add a props file to the restore output")]
    [InlineData("add App.csproj.user")]
    public void Changing_what_the_evaluation_reads_is_a_miss(string change)
    {
        Write();
        var repo = Path.Combine(_root, "repo");
        var projectDir = Path.GetDirectoryName(_projectFile)!;
        switch (change)
        {
            case "edit the project file":
                File.AppendAllText(_projectFile, "<!-- -->");
                break;
            case "edit Directory.Build.props above the project":
                File.WriteAllText(Path.Combine(repo, "Directory.Build.props"), "<Project><PropertyGroup><TargetFramework>net9.0</TargetFramework></PropertyGroup></Project>");
                break;
            case "add Directory.Build.targets next to the project":
                File.WriteAllText(Path.Combine(projectDir, "Directory.Build.targets"), "<Project />");
                break;
            case "add Directory.Packages.props at the root":
                File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />");
                break;
            case "add global.json":
                File.WriteAllText(Path.Combine(repo, "global.json"), "{}");
                break;
            case "edit obj/project.assets.json":
                File.WriteAllText(Path.Combine(_obj, "project.assets.json"), "{\"version\": 3, \"targets\": {}}");
                break;
            case "add a props file to the restore output":
                File.WriteAllText(Path.Combine(_obj, "App.csproj.EntityFrameworkCore.targets"), "<Project />");
                break;
            case "add App.csproj.user":
                File.WriteAllText(_projectFile + ".user", "<Project />");
                break;
        }

        var lookup = Read();

        Assert.Null(lookup.Metadata);
        Assert.Contains("out of date", lookup.Explanation);
    }

    /// <summary>
    /// The host picks the SDK with the first global.json from the current folder up: another folder with none above it
    /// reads the same entry; a folder under a global.json does not.
    /// </summary>
    [Fact]
    public void The_current_folder_counts_only_through_the_global_json_that_picks_the_SDK()
    {
        var plain = Path.Combine(_root, "elsewhere", "a");
        var other = Path.Combine(_root, "elsewhere", "b");
        var pinned = Path.Combine(_root, "pinned", "work");
        foreach (var folder in new[] { plain, other, pinned })
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(Path.Combine(_root, "pinned", "global.json"), "{\"sdk\": {\"rollForward\": \"latestMajor\"}}");
        Assert.StartsWith("project metadata cached", ProjectMetadataCache.Write(Metadata, "Release", null, null, _obj + "/", plain));

        Assert.NotNull(ProjectMetadataCache.TryRead(_projectFile, "Release", null, null, other).Metadata);
        var underGlobalJson = ProjectMetadataCache.TryRead(_projectFile, "Release", null, null, pinned);
        Assert.Null(underGlobalJson.Metadata);
        Assert.Contains("out of date: the global.json that picks the SDK from the current folder", underGlobalJson.Explanation);
    }

    [Fact]
    public void An_imported_file_is_part_of_the_key_and_so_is_an_environment_variable_the_files_reference()
    {
        var variable = "SAFE_MIGRATE_CACHE_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var shared = Path.Combine(_root, "repo", "build", "Shared.props");
        Directory.CreateDirectory(Path.GetDirectoryName(shared)!);
        File.WriteAllText(shared, $"<Project><PropertyGroup><DefineConstants>$({variable})</DefineConstants></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(_root, "repo", "Directory.Build.props"), "<Project><Import Project=\"$(MSBuildThisFileDirectory)build/Shared.props\" /></Project>");
        Write();
        Assert.NotNull(Read().Metadata);

        File.AppendAllText(shared, "<!-- changed -->");
        var stale = Read();
        Assert.Null(stale.Metadata);
        Assert.Contains($"out of date: {shared} changed", stale.Explanation);
        Write();
        Assert.NotNull(Read().Metadata);

        try
        {
            Environment.SetEnvironmentVariable(variable, "secret-value");
            var changed = Read();
            Assert.Null(changed.Metadata);
            Assert.Contains($"the environment variable {variable} changed", changed.Explanation);
            Assert.DoesNotContain("secret-value", changed.Explanation);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Assert.NotNull(Read().Metadata);
    }

    [Fact]
    public void A_variable_read_with_GetEnvironmentVariable_is_part_of_the_key()
    {
        var variable = "SAFE_MIGRATE_CACHE_TEST_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        File.WriteAllText(_projectFile, $"<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutDir>$([System.Environment]::GetEnvironmentVariable('{variable}'))</OutDir></PropertyGroup></Project>");
        Write();
        Assert.NotNull(Read().Metadata);

        try
        {
            Environment.SetEnvironmentVariable(variable, "/elsewhere/");
            Assert.Null(Read().Metadata);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_file_a_condition_tests_with_Exists_is_part_of_the_key_and_an_unresolvable_one_is_not_cached()
    {
        var marker = Path.Combine(_root, "repo", "use-artifacts.marker");
        File.WriteAllText(Path.Combine(_root, "repo", "Directory.Build.props"),
            "<Project><PropertyGroup Condition=\"Exists('$(MSBuildThisFileDirectory)use-artifacts.marker')\"><OutDir>/artifacts/</OutDir></PropertyGroup></Project>");
        Write();
        Assert.NotNull(Read().Metadata);

        File.WriteAllText(marker, string.Empty);
        Assert.Null(Read().Metadata);

        File.WriteAllText(Path.Combine(_root, "repo", "Directory.Build.props"),
            "<Project><PropertyGroup Condition=\"Exists('$(SolutionDir)marker')\"><OutDir>/artifacts/</OutDir></PropertyGroup></Project>");
        Assert.Contains("Exists('$(SolutionDir)marker')", Write());
        Assert.Null(Read().Metadata);
    }

    [Fact]
    public void Each_configuration_has_its_own_entry()
    {
        Write("Release");

        Assert.NotNull(Read("Release").Metadata);
        Assert.Null(Read("Debug").Metadata);
        Assert.Null(Read(null).Metadata);
    }

    [Fact]
    public void A_project_with_an_import_the_cache_cannot_resolve_is_not_cached()
    {
        File.WriteAllText(_projectFile, "<Project Sdk=\"Microsoft.NET.Sdk\"><Import Project=\"$(SomeFolder)/Extra.props\" /></Project>");

        var written = Write();

        Assert.Contains("not cached", written);
        Assert.Contains("$(SomeFolder)/Extra.props", written);
        Assert.Null(Read().Metadata);
        Assert.False(File.Exists(ProjectMetadataCache.EntryPath(_projectFile, "Release", null, null)));
    }

    [Fact]
    public void Directory_build_props_found_with_GetPathOfFileAbove_is_covered_by_the_walk()
    {
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(_projectFile)!, "Directory.Build.props"),
            "<Project><Import Project=\"$([MSBuild]::GetPathOfFileAbove('Directory.Build.props', '$(MSBuildThisFileDirectory)../'))\" /></Project>");

        Assert.StartsWith("project metadata cached", Write());
        Assert.NotNull(Read().Metadata);
    }

    [Fact]
    public void An_unreadable_entry_is_a_miss_and_the_next_write_replaces_it()
    {
        Write();
        File.WriteAllText(ProjectMetadataCache.EntryPath(_projectFile, "Release", null, null), "{ not json");

        var lookup = Read();

        Assert.Null(lookup.Metadata);
        Assert.Contains("unreadable", lookup.Explanation);
        Write();
        Assert.NotNull(Read().Metadata);
    }

    [Fact]
    public void A_project_without_an_obj_folder_is_not_cached()
    {
        Directory.Delete(_obj, recursive: true);

        Assert.Contains("no obj folder", Write());
        Assert.False(Directory.Exists(_obj));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
