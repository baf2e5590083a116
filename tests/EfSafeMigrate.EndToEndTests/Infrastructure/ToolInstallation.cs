using System.Text.RegularExpressions;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The dotnet-safe-migrate executable under test: the one named by the environment variable
/// <c>SAFE_MIGRATE_TOOL</c>; else the one whose path a file named by <c>SAFE_MIGRATE_TOOL_FILE</c> will hold (build/test.sh
/// starts the end-to-end tests while it still packs the tool, and writes the file when the pack ends); else the tool
/// packed from src/EfSafeMigrate.Tool and installed with <c>dotnet tool install --tool-path</c>, once per test process.
/// Resolved on first use: tests that run the tool only in the test process (<see cref="InProcessTool"/>) never wait for it.
/// </summary>
/// <remarks>
/// Each run packs a unique pre-release version (<c>&lt;Version&gt;-e2e.&lt;utc time&gt;.&lt;pid&gt;</c>) so that
/// no NuGet cache can hand back an older build of the same version; the install restores into a
/// private package folder under .tmp/e2e, and the run's package and tool folder are deleted when
/// the tests are done (<see cref="CleanUp"/>).
/// </remarks>
public static class ToolInstallation
{
    public const string ToolVariable = "SAFE_MIGRATE_TOOL";

    /// <summary>
    /// A file that holds, once the pack that build/test.sh runs beside the tests has ended, the installed tool's path on
    /// its first line, or <c>failed</c>. The file appears complete (it is written beside and renamed).
    /// </summary>
    public const string ToolFileVariable = "SAFE_MIGRATE_TOOL_FILE";

    /// <summary>How long the first use waits for <see cref="ToolFileVariable"/>'s file: the pack takes about a minute here.</summary>
    private static readonly TimeSpan PackWait = TimeSpan.FromMinutes(20);

    private static readonly Lazy<string> LazyExecutable = new(Resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Action? _cleanUp;

    /// <summary>The path of the executable; packs and installs on first use (throws with the build output when that fails).</summary>
    public static string Executable => LazyExecutable.Value;

    /// <summary>
    /// The folder the installed tool's packages were packed into and their version: <c>DIR/packages</c> beside
    /// <c>DIR/tool</c> for <c>build/install-tool.sh DIR</c>, else this class's own packages folder. The version is the one
    /// installed in the tool folder's store (<c>.store/dotnet-safe-migrate/VERSION/</c>; each install has its own folder).
    /// </summary>
    public static (string Folder, string Version) Packages
    {
        get
        {
            var store = Path.Combine(Path.GetDirectoryName(Executable)!, ".store", "dotnet-safe-migrate");
            var versions = Directory.Exists(store) ? Directory.GetDirectories(store).Select(Path.GetFileName).ToList() : [];
            if (versions.Count != 1)
            {
                throw new InvalidOperationException($"{store} should hold exactly one installed version; it holds {versions.Count}.");
            }

            var version = versions[0]!;
            var besideTool = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Executable)!)!, "packages");
            var folder = File.Exists(Path.Combine(besideTool, $"dotnet-safe-migrate.{version}.nupkg")) ? besideTool : Path.Combine(RepoPaths.E2eTemp, "packages");
            return (folder, version);
        }
    }

    private static string Resolve()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ToolVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            if (!File.Exists(fromEnvironment))
            {
                throw new InvalidOperationException($"{ToolVariable}={fromEnvironment}: no such file.");
            }

            return Path.GetFullPath(fromEnvironment);
        }

        var toolFile = Environment.GetEnvironmentVariable(ToolFileVariable);
        if (!string.IsNullOrWhiteSpace(toolFile))
        {
            return WaitForPack(toolFile);
        }

        var runId = $"{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var version = $"{BaseVersion()}-e2e.{runId}";
        var packages = Path.Combine(RepoPaths.E2eTemp, "packages");
        var toolPath = Path.Combine(RepoPaths.E2eTemp, $"tool-{runId}");
        var nugetPackages = Path.Combine(RepoPaths.E2eTemp, "nuget-packages");
        Directory.CreateDirectory(packages);

        using (CrossProcessLock.Acquire(Path.Combine(RepoPaths.E2eTemp, "pack.lock"), TimeSpan.FromMinutes(20)))
        {
            DeleteStaleInstallations(packages);
            var pack = RunDotnet(
                TimeSpan.FromMinutes(15),
                null,
                "pack", RepoPaths.ToolProject, "-c", "Release", "-o", packages, $"-p:PackageVersion={version}", "-nologo");
            if (pack.ExitCode != 0)
            {
                throw new InvalidOperationException("Packing the tool failed:" + Environment.NewLine + pack.Describe());
            }
        }

        var nupkg = Path.Combine(packages, $"dotnet-safe-migrate.{version}.nupkg");
        if (!File.Exists(nupkg))
        {
            throw new InvalidOperationException($"dotnet pack did not produce {nupkg}.");
        }

        var install = RunDotnet(
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = nugetPackages },
            "tool", "install", "dotnet-safe-migrate", "--tool-path", toolPath, "--add-source", packages, "--version", version);
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("Installing the packed tool failed:" + Environment.NewLine + install.Describe());
        }

        E2eRun.CleanUpAtExit();
        _cleanUp = () =>
        {
            TryDelete(() => Directory.Delete(toolPath, recursive: true));
            // The package installed by name and the platform packages it points to (linux-x64, any).
            foreach (var id in new[] { "dotnet-safe-migrate", "dotnet-safe-migrate.linux-x64", "dotnet-safe-migrate.any" })
            {
                TryDelete(() => File.Delete(Path.Combine(packages, $"{id}.{version}.nupkg")));
                TryDelete(() => File.Delete(Path.Combine(packages, $"{id}.{version}.snupkg")));
                TryDelete(() => Directory.Delete(Path.Combine(nugetPackages, id, version.ToLowerInvariant()), recursive: true));
            }
        };

        var executable = Path.Combine(toolPath, "dotnet-safe-migrate");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"dotnet tool install did not create {executable}:{Environment.NewLine}{install.Describe()}");
        }

        return executable;
    }

    /// <summary>The tool path that <paramref name="toolFile"/> will hold; throws when it says the pack failed, or after <see cref="PackWait"/>.</summary>
    private static string WaitForPack(string toolFile)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(toolFile))
        {
            if (clock.Elapsed > PackWait)
            {
                throw new TimeoutException($"{ToolFileVariable}={toolFile}: the file did not appear in {PackWait.TotalMinutes:0} minutes (is the pack still running?).");
            }

            Thread.Sleep(200);
        }

        var path = File.ReadLines(toolFile).FirstOrDefault()?.Trim() ?? string.Empty;
        if (path.Length == 0 || !File.Exists(path))
        {
            throw new InvalidOperationException($"{ToolFileVariable}={toolFile} says '{path}': packing or installing the tool failed (build/test.sh prints why).");
        }

        return Path.GetFullPath(path);
    }

    /// <summary>
    /// Deletes this run's package and tool folder (<see cref="E2eRun"/> calls it when the test
    /// process exits; a run that was killed leaves them to <see cref="DeleteStaleInstallations"/>).
    /// </summary>
    public static void CleanUp() => Interlocked.Exchange(ref _cleanUp, null)?.Invoke();

    /// <summary>Tool folders and packages of runs that started more than six hours ago (and so are over).</summary>
    private static void DeleteStaleInstallations(string packages)
    {
        var cutoff = DateTime.UtcNow - TimeSpan.FromHours(6);
        foreach (var dir in Directory.GetDirectories(RepoPaths.E2eTemp, "tool-*").Where(d => Directory.GetCreationTimeUtc(d) < cutoff))
        {
            TryDelete(() => Directory.Delete(dir, recursive: true));
        }

        foreach (var file in Directory.GetFiles(packages, "dotnet-safe-migrate.*-e2e.*.nupkg").Where(f => File.GetCreationTimeUtc(f) < cutoff))
        {
            TryDelete(() => File.Delete(file));
        }
    }

    /// <summary>Runs the dotnet CLI in the repository root.</summary>
    public static ProcessResult RunDotnet(TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        RunningProcess.Run("dotnet", arguments, RepoPaths.Root, timeout, environment);

    private static string BaseVersion()
    {
        var props = File.ReadAllText(Path.Combine(RepoPaths.Root, "Directory.Build.props"));
        var match = Regex.Match(props, @"<Version>\s*(\d+\.\d+\.\d+)");
        return match.Success ? match.Groups[1].Value : "0.0.0";
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
