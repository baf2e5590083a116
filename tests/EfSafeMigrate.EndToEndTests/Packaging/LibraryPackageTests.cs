using System.IO.Compression;
using System.Xml.Linq;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Packaging;

/// <summary>
/// The packages as a user gets them: <c>build/pack.sh</c> packs the three packages into a folder, a fresh project
/// outside the repository (no Directory.Build files, no central package versions: a copy of samples/Shop with its own
/// csproj) adds the runtime library with the command the README and the tool's messages give
/// (<c>dotnet add package EfSafeMigrate --source &lt;folder&gt;</c>), and <c>squash</c> then writes a squashed migration
/// that builds against the package and applies to an empty database. <c>pack.sh</c> runs in a copy of the repository's
/// sources (<see cref="CopySources"/>): packing with another version rebuilds the src projects, which in the checkout
/// would change assemblies under the builds other classes start at the same time.
/// </summary>
[ExpectedSeconds(45)]
public sealed class LibraryPackageTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private readonly ITestOutputHelper _output;
    private readonly string _work;

    public LibraryPackageTests(ITestOutputHelper output)
    {
        _output = output;
        _work = Path.Combine(Path.GetTempPath(), "safe-migrate-package-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_work);
    }

    [Fact]
    public void The_packed_library_installs_into_a_fresh_project_and_squash_uses_it()
    {
        var version = $"0.1.0-pkg.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var artifacts = Path.Combine(_work, "artifacts");
        var sources = CopySources();
        // The libraries from pack.sh; the tool's packages are the ones the tests run (packed from the same project by
        // build/install-tool.sh, or by ToolInstallation), which spares a second cold compile and ReadyToRun compile.
        var pack = Run("bash", [Path.Combine(sources, "build", "pack.sh"), artifacts, version, "EfSafeMigrate", "EfSafeMigrate.Npgsql"], sources);
        Assert.True(pack.ExitCode == 0, pack.Describe());
        Assert.DoesNotContain("warning", pack.StdErr, StringComparison.OrdinalIgnoreCase);
        foreach (var id in new[] { "EfSafeMigrate", "EfSafeMigrate.Npgsql" })
        {
            AssertPackageMetadata(Path.Combine(artifacts, $"{id}.{version}.nupkg"), id);
            Assert.True(File.Exists(Path.Combine(artifacts, $"{id}.{version}.snupkg")), $"{id}: symbols package");
        }

        // The tool's package installed by name points to the platform packages (.NET 10 RID-specific tools).
        var (tools, toolVersion) = ToolInstallation.Packages;
        foreach (var id in new[] { "dotnet-safe-migrate.linux-x64", "dotnet-safe-migrate.any" })
        {
            AssertPackageMetadata(Path.Combine(tools, $"{id}.{toolVersion}.nupkg"), id);
            Assert.True(File.Exists(Path.Combine(tools, $"{id}.{toolVersion}.snupkg")), $"{id}: symbols package");
        }

        AssertPackageMetadata(Path.Combine(tools, $"dotnet-safe-migrate.{toolVersion}.nupkg"), "dotnet-safe-migrate");
        Assert.False(File.Exists(Path.Combine(tools, $"dotnet-safe-migrate.{toolVersion}.snupkg")), "the pointer package has no assemblies, so no symbols");
        Assert.True(IsReadyToRun(Path.Combine(tools, $"dotnet-safe-migrate.linux-x64.{toolVersion}.nupkg"), "tools/net10.0/linux-x64/Microsoft.EntityFrameworkCore.dll"),
            "the linux-x64 tool package carries ReadyToRun-compiled assemblies");
        Assert.False(IsReadyToRun(Path.Combine(tools, $"dotnet-safe-migrate.any.{toolVersion}.nupkg"), "tools/net10.0/any/Microsoft.EntityFrameworkCore.dll"),
            "the portable tool package carries IL only");

        var project = CreateFreshShop();
        var add = Run("dotnet", ["add", project, "package", "EfSafeMigrate", "--version", version, "--source", artifacts], _work);
        Assert.True(add.ExitCode == 0, add.Describe());
        Assert.Contains($"Include=\"EfSafeMigrate\" Version=\"{version}\"", File.ReadAllText(project));

        using var database = E2eDatabase.Create();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Shop"] = database.ConnectionString };
        var squash = Run(ToolInstallation.Executable, ["squash", "AddProductSku", "AddOrdersDropLegacy", "-p", project, "--no-color"], _work, environment);
        Assert.True(squash.ExitCode == 0, squash.Describe());
        var migrations = Path.Combine(Path.GetDirectoryName(project)!, "Migrations");
        var designer = Directory.GetFiles(migrations, "*_SquashedAddProductSkuToAddOrdersDropLegacy.Designer.cs").Single();
        Assert.Contains("EfSafeMigrate.Replaces(", File.ReadAllText(designer));

        var apply = Run(ToolInstallation.Executable, ["apply", "-p", project, "--no-backup", "--no-color"], _work, environment);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.True(Pg.TableExists(database.ConnectionString, "Orders"), "the squashed migration created Orders");
        Assert.Contains(
            Path.GetFileName(designer)[..^".Designer.cs".Length],
            Pg.Strings(database.ConnectionString, "SELECT \"MigrationId\" FROM \"__EFMigrationsHistory\""));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // A ReadyToRun image has a ManagedNativeHeader directory in its CLI header (pointing to its READYTORUN_HEADER).
    private static bool IsReadyToRun(string nupkg, string entry)
    {
        using var archive = ZipFile.OpenRead(nupkg);
        using var image = new MemoryStream();
        using (var stream = archive.GetEntry(entry)?.Open() ?? throw new Xunit.Sdk.XunitException($"{nupkg} has no {entry}"))
        {
            stream.CopyTo(image);
        }

        image.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(image);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }

    private static void AssertPackageMetadata(string nupkg, string id)
    {
        Assert.True(File.Exists(nupkg), $"{nupkg} was packed");
        using var archive = ZipFile.OpenRead(nupkg);
        var nuspecEntry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(id, Value("id"));
        Assert.Equal("MIT", Value("license"));
        Assert.False(string.IsNullOrWhiteSpace(Value("projectUrl")), $"{id}: projectUrl");
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("efcore", Value("tags") ?? string.Empty);
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id}: description");
        Assert.NotNull(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "repository"));
        Assert.Contains(archive.Entries, e => e.FullName == "README.md");
        Assert.Contains(archive.Entries, e => e.FullName == "LICENSE");
    }

    /// <summary>
    /// What <c>build/pack.sh</c> reads, copied into a folder of this test's: the files at the repository's root
    /// (Directory.Build.*, Directory.Packages.props, global.json, README.md, LICENSE, ...), <c>build/</c>, <c>docs/</c> (the
    /// packages' readmes) and <c>src/</c>
    /// without build output (<c>bin/</c>, <c>obj/</c>). Returns the copy's root.
    /// </summary>
    private string CopySources()
    {
        var root = Path.Combine(_work, "repo");
        Directory.CreateDirectory(root);
        foreach (var file in Directory.EnumerateFiles(RepoPaths.Root))
        {
            File.Copy(file, Path.Combine(root, Path.GetFileName(file)));
        }

        foreach (var folder in new[] { "build", "docs", "src" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepoPaths.Root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, relative))!);
                File.Copy(file, Path.Combine(root, relative));
            }
        }

        return root;
    }

    /// <summary>
    /// samples/Shop's sources and migrations in a folder of their own, with a csproj that names its package versions
    /// itself (the EF Core and Npgsql versions of the repository's Directory.Packages.props), as a user's project does.
    /// </summary>
    private string CreateFreshShop()
    {
        var source = Path.GetDirectoryName(RepoPaths.ShopProject)!;
        var target = Path.Combine(_work, "Shop");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj" || relative.EndsWith(".csproj", StringComparison.Ordinal))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        var props = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props"));
        string Property(string name) => props.Descendants(name).Single().Value;
        var project = Path.Combine(target, "Shop.csproj");
        File.WriteAllText(project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="{Property("NpgsqlVersion")}" />
                <PackageReference Include="Microsoft.EntityFrameworkCore.Design" Version="{Property("EfCoreVersion")}" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    private ProcessResult Run(string file, IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = RunningProcess.Run(file, arguments, directory, Long, environment);
        _output.WriteLine(result.Describe(8_000));
        return result;
    }
}
