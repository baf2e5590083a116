using System.Diagnostics;
using System.Runtime.InteropServices;

namespace EfSafeMigrate.Tool.Projects;

/// <summary>Runs the <c>dotnet</c> program (the one whose runtime runs this tool).</summary>
internal static class DotNetCli
{
    /// <summary>
    /// Full path of the <c>dotnet</c> host: <c>DOTNET_HOST_PATH</c> when the SDK set it, else the
    /// host three levels above the running shared framework, else <c>dotnet</c> from PATH.
    /// </summary>
    public static string HostPath { get; } = FindHost();

    /// <summary>
    /// In this logical call (an <see cref="AsyncLocal{T}"/>: each run of the command line has its own), what
    /// <see cref="Run"/> enters to start the child and wait for its exit, and leaves before it returns; null (the tool's
    /// own runs) enters nothing. The end-to-end tests' in-process host sets it to let another in-process run use the
    /// test process's environment, working directory and console meanwhile: the child's are fixed before (its
    /// environment is copied into its start info, its folder is a full path), and the wait touches none of them.
    /// </summary>
    internal static readonly AsyncLocal<Func<IDisposable>?> WaitScope = new();

    /// <summary>Runs <c>dotnet</c> with arguments, capturing stdout and stderr.</summary>
    /// <param name="arguments">The arguments, each passed as one argument (no shell quoting).</param>
    /// <param name="workingDirectory">The child's working directory; the current directory when null.</param>
    /// <param name="environment">Variables to set in the child's environment on top of this process's; a null value removes one.</param>
    /// <returns>The exit code, and stdout and stderr as written.</returns>
    public static (int ExitCode, string StandardOutput, string StandardError) Run(
        IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(HostPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        // Reading the start info's environment copies this process's into it (once): the child gets it as it is now.
        var childEnvironment = psi.Environment;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            childEnvironment[name] = value;
        }

        using (WaitScope.Value?.Invoke())
        {
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.Result);
        }
    }

    private static string FindHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();
        var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var host = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
