using System.Text.Json.Nodes;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tests.Hosting;

/// <summary>
/// Which packages the inner process takes from the tool (<see cref="InnerDepsFile"/>): an older patch of a package the
/// tool ships, and, when the tool is precompiled (its linux-x64 package), the very same package (same version and SHA-512)
/// whose only assets are runtime assemblies. Everything else stays the app's.
/// </summary>
public sealed class InnerDepsFileTests : IDisposable
{
    private const string Target = ".NETCoreApp,Version=v10.0";
    private readonly string _folder = Directory.CreateTempSubdirectory("safe-migrate-deps-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_precompiled_tool_lends_the_very_same_packages_and_leaves_the_others_to_the_app()
    {
        var startup = Startup(App());
        var deps = InnerDepsFile.For(startup, Tool(), toolIsReadyToRun: true);

        Assert.NotEqual(startup.DepsFile, deps.Path);
        Assert.Equal(Path.GetDirectoryName(startup.DepsFile), Path.GetDirectoryName(deps.Path)); // the host resolves the app's assemblies beside it
        Assert.Matches(@"App\.safe-migrate-[0-9a-f]{16}\.deps\.json$", deps.Path);
        Assert.Equal(["Microsoft.EntityFrameworkCore.Relational 10.0.1 → 10.0.15"], deps.RolledForward);
        Assert.Equal(1, deps.Precompiled);

        var targets = JsonNode.Parse(File.ReadAllText(deps.Path))!["targets"]![Target]!;
        Assert.Null(targets["Microsoft.EntityFrameworkCore/10.0.15"]!["runtime"]);              // same version, same SHA-512
        Assert.Null(targets["Microsoft.EntityFrameworkCore.Relational/10.0.1"]!["runtime"]);    // older patch
        Assert.NotNull(targets["Npgsql/10.0.3"]!["runtime"]);                                  // same version, other SHA-512
        Assert.NotNull(targets["Humanizer.Core/2.14.1"]!["runtime"]);                          // the app's is newer
        Assert.NotNull(targets["SQLitePCLRaw.lib/2.1.10"]!["runtime"]);                        // native assets too
        Assert.NotNull(targets["App/1.0.0"]!["runtime"]);                                      // a project, not a package

        // Named by its content: a second run reuses the same file.
        Assert.Equal(deps.Path, InnerDepsFile.For(startup, Tool(), toolIsReadyToRun: true).Path);
    }

    [Fact]
    public void A_portable_tool_lends_only_newer_patches()
    {
        var startup = Startup(App());
        var deps = InnerDepsFile.For(startup, Tool(), toolIsReadyToRun: false);

        Assert.Equal(0, deps.Precompiled);
        var targets = JsonNode.Parse(File.ReadAllText(deps.Path))!["targets"]![Target]!;
        Assert.NotNull(targets["Microsoft.EntityFrameworkCore/10.0.15"]!["runtime"]);
        Assert.Null(targets["Microsoft.EntityFrameworkCore.Relational/10.0.1"]!["runtime"]);
    }

    [Fact]
    public void With_nothing_to_take_the_apps_own_deps_file_is_used()
    {
        var startup = Startup(Deps(("App/1.0.0", "project", "", Runtime("App.dll"))));
        var deps = InnerDepsFile.For(startup, Tool(), toolIsReadyToRun: true);

        Assert.Equal(startup.DepsFile, deps.Path);
        Assert.Empty(deps.RolledForward);
        Assert.Equal(0, deps.Precompiled);
    }

    private static JsonObject Runtime(string assembly) => new() { ["runtime"] = new JsonObject { [$"lib/net10.0/{assembly}"] = new JsonObject() } };

    private static JsonObject App() => Deps(
        ("App/1.0.0", "project", "", Runtime("App.dll")),
        ("Microsoft.EntityFrameworkCore/10.0.15", "package", "sha512-efcore", Runtime("Microsoft.EntityFrameworkCore.dll")),
        ("Microsoft.EntityFrameworkCore.Relational/10.0.1", "package", "sha512-relational-old", Runtime("Microsoft.EntityFrameworkCore.Relational.dll")),
        ("Npgsql/10.0.3", "package", "sha512-npgsql-other-build", Runtime("Npgsql.dll")),
        ("Humanizer.Core/2.14.1", "package", "sha512-humanizer", Runtime("Humanizer.dll")),
        ("SQLitePCLRaw.lib/2.1.10", "package", "sha512-sqlite", new JsonObject
        {
            ["runtime"] = new JsonObject { ["lib/net10.0/SQLitePCLRaw.lib.dll"] = new JsonObject() },
            ["native"] = new JsonObject { ["runtimes/linux-x64/native/libe_sqlite3.so"] = new JsonObject() },
        }));

    private string Tool()
    {
        var path = Path.Combine(_folder, "tool", "dotnet-safe-migrate.deps.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Deps(
            ("dotnet-safe-migrate/0.1.0", "project", "", Runtime("dotnet-safe-migrate.dll")),
            ("Microsoft.EntityFrameworkCore/10.0.15", "package", "sha512-efcore", Runtime("Microsoft.EntityFrameworkCore.dll")),
            ("Microsoft.EntityFrameworkCore.Relational/10.0.15", "package", "sha512-relational", Runtime("Microsoft.EntityFrameworkCore.Relational.dll")),
            ("Npgsql/10.0.3", "package", "sha512-npgsql", Runtime("Npgsql.dll")),
            ("Humanizer.Core/2.14.0", "package", "sha512-humanizer-old", Runtime("Humanizer.dll")),
            ("SQLitePCLRaw.lib/2.1.10", "package", "sha512-sqlite", Runtime("SQLitePCLRaw.lib.dll"))).ToJsonString());
        return path;
    }

    private static JsonObject Deps(params (string Key, string Type, string Sha512, JsonObject Assets)[] libraries)
    {
        var targets = new JsonObject();
        var entries = new JsonObject();
        foreach (var (key, type, sha512, assets) in libraries)
        {
            targets[key] = assets;
            entries[key] = new JsonObject { ["type"] = type, ["serviceable"] = type == "package", ["sha512"] = sha512 };
        }

        return new JsonObject
        {
            ["runtimeTarget"] = new JsonObject { ["name"] = Target },
            ["targets"] = new JsonObject { [Target] = targets },
            ["libraries"] = entries,
        };
    }

    private ProjectMetadata Startup(JsonObject deps)
    {
        var output = Path.Combine(_folder, "app", "bin") + "/";
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "App.deps.json"), deps.ToJsonString());
        return new ProjectMetadata(
            Path.Combine(_folder, "app", "App.csproj"), Path.Combine(_folder, "app") + "/", "App", "App", output, output + "App.dll", output + "App.deps.json",
            output + "App.runtimeconfig.json", [], "10.0.0");
    }
}
