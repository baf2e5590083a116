using System.Diagnostics;
using System.Runtime.InteropServices;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Runs the tool a second time inside the application's own dependencies, as <c>dotnet ef</c>
/// does (<c>src/dotnet-ef/RootCommand.cs</c>): <c>dotnet exec --depsfile &lt;app&gt;.deps.json
/// --additionalprobingpath &lt;package folder&gt; --runtimeconfig &lt;app&gt;.runtimeconfig.json
/// dotnet-safe-migrate.dll __inner ...</c>. Works for console and web apps alike, because the
/// app's runtimeconfig brings its shared frameworks. Standard input, output and error are
/// inherited, so prompts, colours and progress pass straight through. Connection strings go through
/// the inner process's environment, never its command line (<see cref="ConnectionHandOver"/>).
/// SIGINT and SIGTERM are forwarded to the inner process, which stops at a safe point
/// (<see cref="Interruption"/>); this process exits with the inner one's code.
/// </summary>
internal static class InnerProcessLauncher
{
    /// <summary>Starts the inner process and waits for it.</summary>
    /// <returns>The inner process's exit code.</returns>
    /// <exception cref="CommandException">The startup project has not been built (no deps or runtimeconfig file; exit code 2).</exception>
    public static int Run(ProjectMetadata project, ProjectMetadata startup, IReadOnlyList<string> userArguments, bool verbose)
    {
        if (!File.Exists(startup.DepsFile) || !File.Exists(startup.RuntimeConfigFile) || !File.Exists(project.TargetPath))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The startup project '{startup.ProjectFile}' has no build output at '{startup.TargetDir}' (looked for {Path.GetFileName(startup.DepsFile)} and {Path.GetFileName(startup.RuntimeConfigFile)}). " +
                "Build it, or run without --no-build. The startup project must be an executable (console or web app), as for dotnet ef.");
        }

        var psi = new ProcessStartInfo(DotNetCli.HostPath) { UseShellExecute = false };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add("--depsfile");
        psi.ArgumentList.Add(startup.DepsFile);
        foreach (var folder in startup.PackageFolders)
        {
            psi.ArgumentList.Add("--additionalprobingpath");
            psi.ArgumentList.Add(folder.TrimEnd('/', '\\'));
        }

        psi.ArgumentList.Add("--runtimeconfig");
        psi.ArgumentList.Add(startup.RuntimeConfigFile);
        psi.ArgumentList.Add(typeof(InnerProcessLauncher).Assembly.Location);
        var header = new InnerHostArguments(startup.TargetDir, project.AssemblyName, startup.AssemblyName, project.ProjectFile, project.ProjectDir, project.RootNamespace);
        var (arguments, secrets) = ConnectionHandOver.Hide(userArguments);
        foreach (var argument in header.ToArguments().Concat(arguments))
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in secrets)
        {
            psi.Environment[name] = value; // never on the command line (ConnectionHandOver)
        }

        if (verbose)
        {
            Console.Error.WriteLine($"Running the tool inside '{startup.AssemblyName}' with its dependencies ({startup.DepsFile}).");
        }

        using var process = Process.Start(psi)!;
        // SIGINT and SIGTERM go to the inner process, which stops at a safe point and exits 130 / 143;
        // this process waits for it and exits with its code (a terminal's Ctrl+C reaches both: the
        // inner process takes a repeated signal as the same request).
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, process, 2));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, process, 15));
        process.WaitForExit();
        return process.ExitCode;
    }

    private static void Forward(PosixSignalContext context, Process process, int signal)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Ctrl+C reaches every process of the console; nothing to forward
        }

        context.Cancel = true;
        try
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, signal);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
