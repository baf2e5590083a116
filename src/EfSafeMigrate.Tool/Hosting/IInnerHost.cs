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
    /// side parsed them) with <see cref="CommandLine.Execute"/> and <paramref name="header"/>, inside the application.
    /// The outer side has checked that the build output can be loaded (<c>CommandRunner</c>).
    /// </summary>
    /// <param name="startup">The startup project's metadata: its build output, deps file and runtimeconfig.</param>
    /// <param name="header">What the inner side is told about the projects (<see cref="InnerHostArguments.For"/>), with the app's arguments.</param>
    /// <param name="userArguments">The arguments to run.</param>
    /// <param name="verbose">True with <c>--verbose</c>: the host says how it loads the application.</param>
    /// <returns>The command's exit code (<see cref="ExitCodes"/>).</returns>
    int Run(ProjectMetadata startup, InnerHostArguments header, IReadOnlyList<string> userArguments, bool verbose);
}
