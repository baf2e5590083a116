using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Runs a project command's body inside the application, once the outer side has built the project (unless
/// <c>--no-build</c>) and read its output paths: the counterpart of <c>dotnet ef</c>'s step from <c>dotnet-ef</c> to
/// <c>ef.dll</c>. The tool's host is <see cref="InnerProcessLauncher"/> (a second process in the application's
/// dependencies); the end-to-end tests' in-process host loads the application's assemblies into the test process
/// instead, so that command logic runs without two process starts.
/// </summary>
internal interface IInnerHost
{
    /// <summary>
    /// Runs <paramref name="userArguments"/> (the user's arguments with the configuration's defaults, as the outer
    /// side parsed them) with <see cref="CommandLine.Execute"/> and an <see cref="InnerHostArguments"/> header made
    /// from the two projects' metadata (<see cref="InnerHostArguments.For"/>).
    /// </summary>
    /// <param name="project">The migrations project's metadata.</param>
    /// <param name="startup">The startup project's metadata (the same as <paramref name="project"/> without <c>-s</c>).</param>
    /// <param name="userArguments">The arguments to run.</param>
    /// <param name="verbose">True with <c>--verbose</c>: the host says how it loads the application.</param>
    /// <returns>The command's exit code (<see cref="ExitCodes"/>).</returns>
    /// <exception cref="CommandException">The project cannot be loaded (<see cref="InnerProcessLauncher.EnsureRunnable"/>; exit code 2).</exception>
    int Run(ProjectMetadata project, ProjectMetadata startup, IReadOnlyList<string> userArguments, bool verbose);
}
