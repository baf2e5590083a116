#pragma warning disable EF1001 // DbContextOperations is EF Core Design's DbContext discovery, the one dotnet ef uses.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// Creates the application's DbContext exactly as <c>dotnet ef</c> does, through EF Core
/// Design's <see cref="DbContextOperations"/>: a design-time factory
/// (<see cref="IDesignTimeDbContextFactory{TContext}"/>), else the application's host
/// (<c>CreateHostBuilder</c>/<c>WebApplication</c>), else a parameterless constructor.
/// </summary>
internal static class DbContextLoader
{
    /// <summary>Creates the context; <paramref name="connection"/>, when given, replaces its connection string.</summary>
    /// <param name="host">The project the outer process described.</param>
    /// <param name="contextName">The <c>--context</c> option: a type name, or null when the project has one context.</param>
    /// <param name="connection">The <c>--connection</c> option, or null.</param>
    /// <param name="reporter">Receives EF Core's design-time messages (warnings always, the rest with --verbose).</param>
    /// <exception cref="CommandException">No context, several without --context, the context cannot be created, or <paramref name="connection"/> is empty or malformed (exit code 2).</exception>
    public static DbContext Create(InnerHostArguments host, string? contextName, string? connection, Reporter reporter)
    {
        var assembly = AppAssemblyResolver.Load(host.Assembly);
        var startupAssembly = host.StartupAssembly == host.Assembly ? assembly : AppAssemblyResolver.Load(host.StartupAssembly);
        var operationReporter = new OperationReporter(new OperationReportHandler(
            errorHandler: reporter.Detail,
            warningHandler: reporter.Warning,
            informationHandler: reporter.Detail,
            verboseHandler: reporter.Detail));
        var operations = new DbContextOperations(
            operationReporter, assembly, startupAssembly, host.Project, host.ProjectDir, host.RootNamespace, language: "C#", nullable: true, args: []);

        DbContext context;
        try
        {
            context = operations.CreateContext(contextName);
        }
        catch (Exception ex) when (ex is OperationException or InvalidOperationException)
        {
            throw new CommandException(ExitCodes.UsageError, $"Unable to create the DbContext from '{host.Project}': {ex.Message}", ex);
        }

        if (connection is not null)
        {
            ConnectionOption.Validate(connection);
            context.Database.SetConnectionString(connection);
        }

        return context;
    }
}
