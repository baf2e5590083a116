using System.Text.Json;

namespace EfSafeMigrate.Tool.Projects;

/// <summary>
/// Builds a project and reads its output paths from MSBuild, like <c>dotnet ef</c>
/// (<c>src/dotnet-ef/Project.cs</c>), using <c>dotnet build -getProperty</c> (both in one MSBuild run) and, without a
/// build, <c>dotnet msbuild -getProperty</c>.
/// </summary>
internal static class ProjectBuilder
{
    private static readonly string[] Properties =
    [
        "AssemblyName", "RootNamespace", "ProjectDir", "TargetDir", "TargetPath", "TargetFramework",
        "TargetFrameworks", "ProjectDepsFilePath", "ProjectRuntimeConfigFilePath", "NuGetPackageFolders", "NuGetPackageRoot",
        "RuntimeFrameworkVersion", "BundledNETCoreAppPackageVersion", "MSBuildProjectExtensionsPath",
    ];

    /// <summary>
    /// Builds the project with <c>dotnet build</c> and reads its output paths from that same MSBuild run
    /// (<c>-getProperty</c> with an explicit <c>-t:Build</c> reports the values after the build), so a build costs one
    /// MSBuild run where <c>dotnet ef</c> makes two (a build, then an evaluation). The values are kept in the project
    /// metadata cache (<see cref="ProjectMetadataCache"/>), so the next <c>--no-build</c> command does not evaluate.
    /// </summary>
    /// <param name="explain">Told where the metadata came from and whether it was cached (shown with <c>--verbose</c>).</param>
    /// <exception cref="CommandException">
    /// The build failed, the message holds the build's errors; or the project targets several frameworks and none was
    /// chosen (exit code 2).
    /// </exception>
    public static ProjectMetadata Build(
        string projectFile, string? configuration, string? framework, string? runtime = null, Action<string>? explain = null)
    {
        var args = new List<string> { "build", projectFile, "-nologo", "-v:q", "-clp:NoSummary;ErrorsOnly", "-t:Build" };
        args.AddRange(Properties.Select(p => "-getProperty:" + p));
        AddBuildProperties(args, configuration, framework, runtime, forBuild: true);
        var (exitCode, stdout, stderr) = RunMSBuild(args);
        if (exitCode != 0)
        {
            // With -getProperty the build's errors go to stderr, and stdout holds the property values.
            var log = stderr.Trim().Length > 0 ? stderr : stdout;
            var lines = log.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Distinct().Take(30);
            var errors = NamesAnError(log) || stderr.Trim().Length > 0
                ? string.Join(Environment.NewLine, lines)
                : $"dotnet build exited with code {exitCode} without naming an error, twice (the second time without build servers). Run 'dotnet build \"{projectFile}\"' to see why.";
            throw new CommandException(ExitCodes.UsageError, $"Build failed for '{projectFile}'. Fix the build errors and run again, or use --no-build.{Environment.NewLine}{errors}");
        }

        var (metadata, extensionsPath) = Parse(projectFile, stdout);
        explain?.Invoke("project metadata read from the build");
        explain?.Invoke(ProjectMetadataCache.Write(metadata, configuration, framework, runtime, extensionsPath));
        return metadata;
    }

    /// <summary>Reads the project's output paths (no build).</summary>
    /// <param name="useCache">
    /// Reuse the properties the last evaluation read when nothing they depend on changed, and keep these for the next
    /// run (<see cref="ProjectMetadataCache"/>); the tool passes true with <c>--no-build</c>.
    /// </param>
    /// <param name="explain">Told whether the cache was used and why (shown with <c>--verbose</c>).</param>
    /// <exception cref="CommandException">MSBuild could not evaluate the project, or it targets several frameworks and none was chosen (exit code 2).</exception>
    public static ProjectMetadata ReadMetadata(
        string projectFile, string? configuration, string? framework, string? runtime = null, bool useCache = false, Action<string>? explain = null)
    {
        if (!useCache)
        {
            return Evaluate(projectFile, configuration, framework, runtime).Metadata;
        }

        var lookup = ProjectMetadataCache.TryRead(projectFile, configuration, framework, runtime);
        explain?.Invoke(lookup.Explanation);
        if (lookup.Metadata is { } cached)
        {
            return cached;
        }

        var (metadata, extensionsPath) = Evaluate(projectFile, configuration, framework, runtime);
        explain?.Invoke(ProjectMetadataCache.Write(metadata, configuration, framework, runtime, extensionsPath));
        return metadata;
    }

    private static (ProjectMetadata Metadata, string ExtensionsPath) Evaluate(string projectFile, string? configuration, string? framework, string? runtime)
    {
        var args = new List<string> { "msbuild", projectFile, "-nologo" };
        args.AddRange(Properties.Select(p => "-getProperty:" + p));
        AddBuildProperties(args, configuration, framework, runtime, forBuild: false);
        var (exitCode, stdout, stderr) = RunMSBuild(args);
        if (exitCode != 0)
        {
            throw new CommandException(
                ExitCodes.UsageError, $"MSBuild could not read the project '{projectFile}' (dotnet msbuild exited with code {exitCode}): {(stderr + stdout).Trim()}");
        }

        return Parse(projectFile, stdout);
    }

    /// <summary>
    /// Runs <c>dotnet</c> with MSBuild arguments; once more, in the client's own process, when it failed without naming an
    /// error.
    /// </summary>
    /// <remarks>
    /// With the MSBuild server on, <c>dotnet msbuild -getProperty</c> has been seen to exit with a failure after printing
    /// the complete, valid result; so has <c>dotnet build -getProperty</c> with reused worker nodes
    /// (<c>MSBUILDNOINPROCNODE=1</c>), with nothing on standard error. A failure that names no error (no
    /// <c>": error "</c> in either stream) is a fault of the build servers, not of the project: the run is made once more
    /// without the server and with the in-process node allowed. A build that really fails names its errors and is not
    /// run again.
    /// </remarks>
    private static (int ExitCode, string StandardOutput, string StandardError) RunMSBuild(List<string> args)
    {
        var result = DotNetCli.Run(args);
        if (result.ExitCode != 0 && !NamesAnError(result.StandardError) && !NamesAnError(result.StandardOutput))
        {
            result = DotNetCli.Run(args, environment: new Dictionary<string, string?>
            {
                [MSBuildServerVariable] = "0",
                [NoInProcessNodeVariable] = null,
            });
        }

        return result;
    }

    private static bool NamesAnError(string output) => output.Contains(": error ", StringComparison.Ordinal);

    /// <summary>Reads the JSON that <c>-getProperty</c> prints (<c>{"Properties": {...}}</c>) into the project's metadata.</summary>
    /// <exception cref="CommandException">The project targets several frameworks and none was chosen (exit code 2).</exception>
    private static (ProjectMetadata Metadata, string ExtensionsPath) Parse(string projectFile, string stdout)
    {
        var values = JsonDocument.Parse(stdout[Math.Max(0, stdout.IndexOf('{', StringComparison.Ordinal))..]).RootElement.GetProperty("Properties");
        string Get(string name) => values.TryGetProperty(name, out var v) ? v.GetString() ?? string.Empty : string.Empty;
        if (Get("TargetFramework").Length == 0 && Get("TargetFrameworks").Length > 0)
        {
            throw new CommandException(ExitCodes.UsageError, $"The project '{projectFile}' targets several frameworks ({Get("TargetFrameworks")}). Choose one with --framework.");
        }

        var folders = Get("NuGetPackageFolders").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (folders.Count == 0 && Get("NuGetPackageRoot").Length > 0)
        {
            folders.Add(Get("NuGetPackageRoot"));
        }

        return (new ProjectMetadata(
            projectFile,
            Get("ProjectDir"),
            Get("AssemblyName"),
            Get("RootNamespace"),
            Get("TargetDir"),
            Get("TargetPath"),
            Get("ProjectDepsFilePath"),
            Get("ProjectRuntimeConfigFilePath"),
            folders,
            Get("RuntimeFrameworkVersion").Length > 0 ? Get("RuntimeFrameworkVersion") : Get("BundledNETCoreAppPackageVersion")),
            Get("MSBuildProjectExtensionsPath"));
    }

    /// <summary>The .NET CLI's switch for the MSBuild server: <c>1</c> or <c>true</c> turns it on.</summary>
    private const string MSBuildServerVariable = "DOTNET_CLI_USE_MSBUILD_SERVER";

    /// <summary>MSBuild's switch that keeps the build out of the client's process (reused worker nodes only) when <c>1</c>.</summary>
    private const string NoInProcessNodeVariable = "MSBUILDNOINPROCNODE";

    private static void AddBuildProperties(List<string> args, string? configuration, string? framework, string? runtime, bool forBuild)
    {
        if (!string.IsNullOrEmpty(configuration))
        {
            args.Add(forBuild ? "-c" : "-p:Configuration=" + configuration);
            if (forBuild) { args.Add(configuration); }
        }

        if (!string.IsNullOrEmpty(framework))
        {
            args.Add(forBuild ? "-f" : "-p:TargetFramework=" + framework);
            if (forBuild) { args.Add(framework); }
        }

        if (!string.IsNullOrEmpty(runtime))
        {
            args.Add(forBuild ? "-r" : "-p:RuntimeIdentifier=" + runtime);
            if (forBuild) { args.Add(runtime); }
        }
    }
}
