using System.Diagnostics;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Runs the tool a second time inside the application's own dependencies, as <c>dotnet ef</c>
/// does (<c>src/dotnet-ef/RootCommand.cs</c>): <c>dotnet exec --depsfile &lt;app&gt;.deps.json
/// --additionalprobingpath &lt;package folder&gt; --runtimeconfig &lt;app&gt;.runtimeconfig.json
/// dotnet-safe-migrate.dll __inner ...</c>. Works for console and web apps alike, because the
/// app's runtimeconfig brings its shared frameworks. Standard input, output and error are
/// inherited, so prompts, colours and progress pass straight through.
/// </summary>
public static class InnerProcessLauncher
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
        foreach (var argument in header.ToArguments().Concat(userArguments))
        {
            psi.ArgumentList.Add(argument);
        }

        if (verbose)
        {
            Console.Error.WriteLine($"Running the tool inside '{startup.AssemblyName}' with its dependencies ({startup.DepsFile}).");
        }

        using var process = Process.Start(psi)!;
        // Ctrl+C reaches the inner process too (same process group); this process just waits for it.
        Console.CancelKeyPress += (_, e) => e.Cancel = true;
        process.WaitForExit();
        return process.ExitCode;
    }
}
