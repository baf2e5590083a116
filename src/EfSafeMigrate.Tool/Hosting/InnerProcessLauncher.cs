using System.Diagnostics;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Runs the tool a second time inside the application's own dependencies, as <c>dotnet ef</c>
/// does (<c>src/dotnet-ef/RootCommand.cs</c>): <c>dotnet exec --depsfile &lt;app&gt;.deps.json
/// --additionalprobingpath &lt;package folder&gt; --runtimeconfig &lt;app&gt;.runtimeconfig.json
/// dotnet-safe-migrate.dll __inner ...</c>. Works for console and web apps alike, because the
/// app's runtimeconfig brings its shared frameworks. A class library as startup project has no runtimeconfig:
/// then, as <c>dotnet ef</c> does, <c>--fx-version &lt;RuntimeFrameworkVersion&gt;</c> runs it on
/// <c>Microsoft.NETCore.App</c>. Standard input and error are inherited, so prompts, colours and progress pass
/// straight through; the tool's data comes back over a pipe of its own (<see cref="DataChannel"/>) and the
/// inner process's standard output, which belongs to the application's console logging, is dropped, or
/// copied to standard error with <c>--verbose</c>. Connection strings go through
/// the inner process's environment, never its command line (<see cref="ConnectionHandOver"/>).
/// SIGINT and SIGTERM are forwarded to the inner process, which stops at a safe point
/// (<see cref="Interruption"/>); this process exits with the inner one's code.
/// </summary>
internal sealed class InnerProcessLauncher : IInnerHost
{
    /// <summary>The launcher every run of the tool uses.</summary>
    public static readonly InnerProcessLauncher Instance = new();

    private InnerProcessLauncher()
    {
    }

    /// <summary>Starts the inner process and waits for it.</summary>
    /// <returns>The inner process's exit code.</returns>
    public int Run(ProjectMetadata startup, InnerHostArguments header, IReadOnlyList<string> userArguments, bool verbose)
    {
        var deps = InnerDepsFile.For(startup);
        if (verbose && deps.RolledForward.Count > 0)
        {
            Console.Error.WriteLine($"The application runs on the tool's newer patches of: {string.Join(", ", deps.RolledForward)}.");
        }

        if (verbose && deps.Precompiled > 0)
        {
            Console.Error.WriteLine($"{deps.Precompiled} packages the application uses in the tool's own versions load from the tool's ReadyToRun copies.");
        }

        var psi = new ProcessStartInfo(DotNetCli.HostPath) { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add("exec");
        psi.ArgumentList.Add("--depsfile");
        psi.ArgumentList.Add(deps.Path);
        foreach (var folder in startup.PackageFolders)
        {
            psi.ArgumentList.Add("--additionalprobingpath");
            psi.ArgumentList.Add(folder.TrimEnd('/', '\\'));
        }

        if (startup.HasRuntimeConfig)
        {
            psi.ArgumentList.Add("--runtimeconfig");
            psi.ArgumentList.Add(startup.RuntimeConfigFile);
        }
        else
        {
            // A class library (dotnet ef's src/dotnet-ef/RootCommand.cs does the same).
            psi.ArgumentList.Add("--fx-version");
            psi.ArgumentList.Add(startup.RuntimeFrameworkVersion);
        }

        psi.ArgumentList.Add(typeof(InnerProcessLauncher).Assembly.Location);
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

        using var data = new AnonymousPipeServerStream(PipeDirection.In, HandleInheritability.Inheritable);
        psi.Environment[DataChannel.PipeVariable] = data.GetClientHandleAsString();
        if (!Console.IsOutputRedirected)
        {
            psi.Environment[DataChannel.TerminalWidthVariable] = TerminalWidth().ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        using var process = Process.Start(psi)!;
        data.DisposeLocalCopyOfClientHandle();
        var stdout = Console.OpenStandardOutput();
        var copy = data.CopyToAsync(stdout);
        process.OutputDataReceived += (_, line) =>
        {
            if (verbose && line.Data is not null)
            {
                Console.Error.WriteLine(line.Data); // the application's own console output
            }
        };
        process.BeginOutputReadLine();
        // SIGINT and SIGTERM go to the inner process, which stops at a safe point and exits 130 / 143;
        // this process waits for it and exits with its code (a terminal's Ctrl+C reaches both: the
        // inner process takes a repeated signal as the same request).
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, process, 2));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, process, 15));
        process.WaitForExit();
        // The pipe ends when the inner process (and anything it started that kept the handle) is gone.
        _ = copy.Wait(TimeSpan.FromSeconds(10));
        stdout.Flush();
        return process.ExitCode;
    }

    private static int TerminalWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
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
