using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// Runs a command's body where it belongs. In the outer process (the tool as the user started
/// it) a project command builds the project, reads its paths and re-runs the same arguments in
/// the inner process, inside the application's dependencies (the run's <see cref="IInnerHost"/>); in the inner process it opens the
/// project (creates the DbContext) and runs the body. Maps expected failures to exit codes.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Runs a body that needs the application (its DbContext).</summary>
    public static int RunInProject(ProjectOptions options, Func<ProjectSession, Task<int>> body)
    {
        var reporter = options.CreateReporter();
        var inner = options.Invocation.Inner;
        if (inner is null)
        {
            return Guard(reporter, () => Task.FromResult(LaunchInner(options, reporter)));
        }

        string? database = null; // for connection errors, once the session knows its database
        return Guard(reporter, async () =>
        {
            using var session = ProjectSession.Open(inner, options, reporter);
            database = session.DatabaseDescription;
            return await body(session);
        }, () => database);
    }

    /// <summary>Runs a body that needs only files (no build, no DbContext).</summary>
    public static int RunLocal(ProjectOptions options, Func<Reporter, Task<int>> body)
    {
        var reporter = options.CreateReporter();
        return Guard(reporter, () => body(reporter));
    }

    /// <summary>The migrations project's folder without building it (for defaults such as the backup folder).</summary>
    public static string ProjectDirectory(ProjectOptions options)
        => options.Invocation.Inner?.ProjectDir ?? Path.GetDirectoryName(ProjectLocator.Locate(options.Project.Value()))!;

    private static int LaunchInner(ProjectOptions options, Reporter reporter)
    {
        ConnectionOption.Validate(options.Connection.Value()); // before the build: a wrong value fails fast
        var projectFile = ProjectLocator.Locate(options.Project.Value());
        var startupFile = options.StartupProject.HasValue() ? ProjectLocator.Locate(options.StartupProject.Value()) : projectFile;
        var configuration = options.Configuration.Value();
        var framework = options.Framework.Value();
        var runtime = options.Runtime.Value();
        ProjectMetadata? built = null;
        if (!options.NoBuild.HasValue())
        {
            reporter.Info("Build started...");
            built = ProjectBuilder.Build(startupFile, configuration, framework, runtime, reporter.Detail);
            reporter.Info("Build succeeded.");
        }

        // With --no-build nothing rebuilt the project: its properties may come from the cache of the last evaluation.
        var useCache = options.NoBuild.HasValue();
        var startup = built ?? ProjectBuilder.ReadMetadata(startupFile, configuration, framework, runtime, useCache, reporter.Detail);
        var project = startupFile == projectFile ? startup : ProjectBuilder.ReadMetadata(projectFile, configuration, framework, runtime, useCache, reporter.Detail);
        EnsureRunnable(project, startup);
        var arguments = options.InnerArguments;
        var header = InnerHostArguments.For(project, startup).WithAppArgumentsOf(arguments);
        return options.Invocation.InnerHost.Run(startup, header, arguments, options.Verbose.HasValue());
    }

    /// <summary>
    /// Checks, before the step into the application, what every inner host needs to load it: the startup project's
    /// build output (its assembly and deps file, and the migrations project's assembly), a runtimeconfig or a framework
    /// version to run a class library on, and an EF Core version the tool supports.
    /// </summary>
    /// <exception cref="CommandException">One of them is missing or unsupported (exit code 2).</exception>
    private static void EnsureRunnable(ProjectMetadata project, ProjectMetadata startup)
    {
        if (!File.Exists(startup.DepsFile) || !File.Exists(startup.TargetPath) || !File.Exists(project.TargetPath))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The startup project '{startup.ProjectFile}' has no build output at '{startup.TargetDir}' (looked for {Path.GetFileName(startup.TargetPath)} and {Path.GetFileName(startup.DepsFile)}). " +
                "Build it, or run without --no-build.");
        }

        if (!startup.HasRuntimeConfig && startup.RuntimeFrameworkVersion.Length == 0)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The startup project '{startup.ProjectFile}' has no {Path.GetFileName(startup.RuntimeConfigFile)} and MSBuild gives no RuntimeFrameworkVersion to run it with. " +
                "Set <RuntimeFrameworkVersion> in the project, or use an executable (console or web app) as startup project with -s.");
        }

        AppEfVersion.EnsureSupported(startup);
    }

    private static int Guard(Reporter reporter, Func<Task<int>> body, Func<string?>? database = null)
    {
        try
        {
            return body().GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            return ErrorHandler.Report(ex, reporter, database?.Invoke());
        }
    }
}
