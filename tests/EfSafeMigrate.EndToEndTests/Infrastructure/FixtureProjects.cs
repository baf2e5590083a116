using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>An EF Core project the tool runs against, with its migration ids (oldest first).</summary>
public sealed record FixtureProject(string ProjectPath, IReadOnlyList<string> MigrationIds)
{
    public string Directory => Path.GetDirectoryName(ProjectPath)!;

    /// <summary>The id of the migration whose name (the part after the 14-digit timestamp) is <paramref name="name"/>.</summary>
    public string Id(string name) =>
        MigrationIds.SingleOrDefault(id => id[15..] == name)
        ?? throw new InvalidOperationException($"No migration named {name} in {ProjectPath}: {string.Join(", ", MigrationIds)}");

    public string Last => MigrationIds[^1];

    /// <summary>The ids up to and including <paramref name="id"/>.</summary>
    public IReadOnlyList<string> UpTo(string id) => MigrationIds.Take(MigrationIds.ToList().IndexOf(id) + 1).ToList();
}

/// <summary>
/// The sample and fixture projects, each built once per test process (<c>dotnet build -c &lt;configuration&gt;</c>) in
/// <see cref="Configuration"/>, the configuration these tests were built in: build/test.sh builds the solution, with the
/// sample and the fixtures in it, in Release, so that the build here finds them up to date instead of compiling them again.
/// </summary>
public static class FixtureProjects
{
    /// <summary>
    /// The configuration of this test assembly's build (Debug or Release), which the projects are built in and which the
    /// tool is given with <c>--configuration</c> when it runs with <c>--no-build</c> (<see cref="ToolSession"/>).
    /// </summary>
    public static string Configuration { get; } =
        typeof(FixtureProjects).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration is { Length: > 0 } configuration
            ? configuration
            : "Debug";

    private static readonly Regex MigrationFile = new(@"^(\d{14}_[A-Za-z_][A-Za-z0-9_]*)\.cs$");

    private static readonly ConcurrentDictionary<string, Lazy<ProcessResult>> Builds = new();

    /// <summary>samples/Shop.</summary>
    public static FixtureProject Shop => new(RepoPaths.ShopProject, ReadMigrationIds(Path.GetDirectoryName(RepoPaths.ShopProject)!));

    /// <summary>
    /// tests/Fixtures/ShopWithFailingMigration: the sample's migrations plus BreakHalfway (its own
    /// migration files, and the sample's in case the fixture links them rather than copying them).
    /// </summary>
    public static FixtureProject ShopWithFailingMigration
    {
        get
        {
            var own = ReadMigrationIds(Path.GetDirectoryName(RepoPaths.FailingFixtureProject)!);
            var ids = own.Count > 1 && own.Any(id => id.EndsWith("_Initial", StringComparison.Ordinal))
                ? own
                : own.Concat(ReadMigrationIds(Path.GetDirectoryName(RepoPaths.ShopProject)!)).Distinct().Order(StringComparer.Ordinal).ToList();
            return new FixtureProject(RepoPaths.FailingFixtureProject, ids);
        }
    }

    /// <summary>
    /// Set by build/test.sh to the configuration it has just built EfSafeMigrate.sln in: the projects of the solution
    /// (the sample and most fixtures) are then up to date in that configuration, and <see cref="EnsureBuilt"/> does not
    /// build them again (an up-to-date build still costs a restore and an MSBuild run: about 1.4 s of CPU each).
    /// </summary>
    public const string SolutionBuiltVariable = "SAFE_MIGRATE_TEST_SOLUTION_BUILT";

    /// <summary>Full paths of the projects EfSafeMigrate.sln lists (its <c>Project(...) = "name", "path", ...</c> lines).</summary>
    private static readonly Lazy<HashSet<string>> SolutionProjects = new(() =>
        Regex.Matches(File.ReadAllText(Path.Combine(RepoPaths.Root, "EfSafeMigrate.sln")), @"""([^""]+\.csproj)""")
            .Select(match => Path.GetFullPath(Path.Combine(RepoPaths.Root, match.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar))))
            .ToHashSet(StringComparer.Ordinal));

    /// <summary>
    /// Builds the project once per test process, unless build/test.sh has just built it with the solution
    /// (<see cref="SolutionBuiltVariable"/>) and its assembly is there; throws with the build output when the build fails.
    /// </summary>
    public static void EnsureBuilt(FixtureProject project)
    {
        if (Environment.GetEnvironmentVariable(SolutionBuiltVariable) == Configuration
            && SolutionProjects.Value.Contains(Path.GetFullPath(project.ProjectPath))
            && File.Exists(Path.Combine(project.Directory, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(project.ProjectPath) + ".dll")))
        {
            return;
        }

        var result = Builds.GetOrAdd(project.ProjectPath, path => new Lazy<ProcessResult>(() =>
        {
            using (CrossProcessLock.Acquire(Path.Combine(RepoPaths.E2eTemp, "build.lock"), TimeSpan.FromMinutes(20)))
            {
                return ToolInstallation.RunDotnet(TimeSpan.FromMinutes(10), null, "build", path, "-c", Configuration, "-nologo");
            }
        })).Value;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building {project.ProjectPath} failed:{Environment.NewLine}{result.Describe()}");
        }
    }

    /// <summary>Migration ids from the file names <c>&lt;14 digits&gt;_&lt;Name&gt;.cs</c> (not designer files) under a project folder.</summary>
    public static IReadOnlyList<string> ReadMigrationIds(string projectDirectory)
    {
        if (!System.IO.Directory.Exists(projectDirectory))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsUnder(path, projectDirectory, "bin") && !IsUnder(path, projectDirectory, "obj"))
            .Select(path => MigrationFile.Match(Path.GetFileName(path)))
            .Where(match => match.Success && !match.Groups[1].Value.EndsWith(".Designer", StringComparison.Ordinal))
            .Select(match => match.Groups[1].Value)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static bool IsUnder(string path, string root, string folder) =>
        Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar).Contains(folder);
}
