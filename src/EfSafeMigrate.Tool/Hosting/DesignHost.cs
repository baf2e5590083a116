#pragma warning disable EF1001 // DbContextOperations, MigrationsOperations, DesignTimeServicesBuilder and OperationReporter are EF Core Design's, the ones dotnet ef uses.
using System.Reflection;
using EfSafeMigrate.Design;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// The one place, in the inner process, that loads the application's assemblies and builds EF Core
/// Design's pieces from them, as EF Core's own <c>MigrationsOperations</c> composes them for
/// <c>dotnet ef</c>: one <see cref="IOperationReporter"/> over the tool's <see cref="Reporter"/>,
/// <see cref="DbContextOperations"/> (DbContext discovery: a design-time factory
/// <see cref="IDesignTimeDbContextFactory{TContext}"/>, else the application's host
/// (<c>CreateHostBuilder</c>/<c>WebApplication</c>), else a parameterless constructor), EF Core's
/// <see cref="MigrationsOperations"/> (<c>migrations add|remove</c>) and the design-time services of a
/// context (<see cref="DesignTimeServicesBuilder"/>: the provider's design-time services, the
/// application's <c>IDesignTimeServices</c> and the context's own services). Language C#, nullable
/// reference types on, no application arguments (<c>dotnet ef</c>'s <c>-- args</c>). The assemblies are
/// loaded on first use (<see cref="AppAssemblyResolver"/>). One per command run; not thread-safe.
/// </summary>
public sealed class DesignHost
{
    /// <summary>The language of the generated code (the only one EF Core Design ships).</summary>
    public const string Language = "C#";

    private readonly Reporter _reporter;
    private readonly Lazy<(Assembly Assembly, Assembly StartupAssembly)> _assemblies;

    /// <summary>A host for the project the outer process described.</summary>
    /// <param name="project">The project the outer process described (assemblies, project folder, root namespace).</param>
    /// <param name="reporter">Receives EF Core's messages (see the methods for which levels are shown).</param>
    public DesignHost(InnerHostArguments project, Reporter reporter)
    {
        Project = project;
        _reporter = reporter;
        _assemblies = new Lazy<(Assembly, Assembly)>(() =>
        {
            var assembly = AppAssemblyResolver.Load(project.Assembly);
            var startupAssembly = project.StartupAssembly == project.Assembly ? assembly : AppAssemblyResolver.Load(project.StartupAssembly);
            return (assembly, startupAssembly);
        });
    }

    /// <summary>The project the outer process described.</summary>
    public InnerHostArguments Project { get; }

    /// <summary>The application's assembly that holds the migrations.</summary>
    public Assembly Assembly => _assemblies.Value.Assembly;

    /// <summary>The startup project's assembly (the migrations assembly when they are the same project).</summary>
    public Assembly StartupAssembly => _assemblies.Value.StartupAssembly;

    /// <summary>
    /// EF Core Design's reporter for scaffolding: EF Core's warnings and information are shown, its errors (its
    /// logger's) and verbose messages with --verbose.
    /// </summary>
    public IOperationReporter OperationReporter => CreateOperationReporter(informationAsDetail: false);

    /// <summary>
    /// Creates the application's DbContext exactly as <c>dotnet ef</c> does (<see cref="DbContextOperations.CreateContext"/>);
    /// <paramref name="connection"/>, when given, replaces its connection string. EF Core's warnings are shown, the rest with --verbose.
    /// </summary>
    /// <param name="contextName">The <c>--context</c> option: a type name, or null when the project has one context.</param>
    /// <param name="connection">The <c>--connection</c> option, or null.</param>
    /// <exception cref="CommandException">No context, several without --context, the context cannot be created, or <paramref name="connection"/> is empty or malformed (exit code 2).</exception>
    public DbContext CreateContext(string? contextName, string? connection)
    {
        var operations = new DbContextOperations(
            CreateOperationReporter(informationAsDetail: true), Assembly, StartupAssembly, Project.Project, Project.ProjectDir, Project.RootNamespace, Language, nullable: true, args: []);

        DbContext context;
        try
        {
            context = operations.CreateContext(contextName);
        }
        catch (Exception ex) when (ex is OperationException or InvalidOperationException)
        {
            throw new CommandException(ExitCodes.UsageError, $"Unable to create the DbContext from '{Project.Project}': {ex.Message}", ex);
        }

        if (connection is not null)
        {
            ConnectionOption.Validate(connection);
            context.Database.SetConnectionString(connection);
        }

        return context;
    }

    /// <summary>
    /// EF Core Design's migrations operations for the project, as <c>dotnet ef migrations add|remove</c> creates them.
    /// EF Core's warnings and information are shown, its errors (its logger's) and verbose messages with --verbose.
    /// </summary>
    /// <remarks>
    /// As in <c>dotnet ef</c>, the operations create their own DbContext (design-time factory, the
    /// application's host, or a parameterless constructor) with the connection the application configures.
    /// </remarks>
    public MigrationsOperations CreateMigrationsOperations()
        => new(OperationReporter, Assembly, StartupAssembly, Project.ProjectDir, Project.RootNamespace, Language, nullable: true, args: []);

    /// <summary>
    /// EF Core Design's services for <paramref name="context"/> (generators, scaffolder, model differ), for the
    /// merge and squash writers; dispose it when done. Messages as for <see cref="CreateMigrationsOperations"/>.
    /// </summary>
    /// <param name="context">The application's context (from <see cref="CreateContext"/>).</param>
    public DesignTimeServices CreateDesignTimeServices(DbContext context)
        => DesignTimeServices.For(context, Assembly, StartupAssembly, OperationReporter);

    /// <summary>
    /// EF Core Design's service provider for <paramref name="context"/> with the checks EF Core's
    /// <c>MigrationsOperations</c> makes before scaffolding: a relational provider, and the migrations in the
    /// project's assembly. For running EF Core's scaffolder on a context of the tool's own (e.g. with <c>--connection</c>).
    /// </summary>
    /// <param name="context">The context.</param>
    /// <exception cref="OperationException">Not a relational provider, or the migrations assembly is not the project's (EF Core's messages).</exception>
    public IServiceProvider CreateMigrationServices(DbContext context)
    {
        var services = new DesignTimeServicesBuilder(Assembly, StartupAssembly, OperationReporter, []).Build(context);
        EnsureRelational(services);
        EnsureMigrationsAssembly(services, Assembly);
        return services;
    }

    // EF Core's error-level messages here are its logger's (e.g. the failed connection of a
    // database-exists probe, which EF Core handles); real failures surface as exceptions. They are
    // shown with --verbose. Creating a context shows EF Core's information with --verbose only.
    private IOperationReporter CreateOperationReporter(bool informationAsDetail)
        => new OperationReporter(new OperationReportHandler(
            errorHandler: _reporter.Detail,
            warningHandler: _reporter.Warning,
            informationHandler: informationAsDetail ? _reporter.Detail : _reporter.Info,
            verboseHandler: _reporter.Detail));

    // As MigrationsOperations.EnsureServices: migrations need a relational provider.
    private static void EnsureRelational(IServiceProvider services)
    {
        if (services.GetService<IMigrator>() is null)
        {
            var provider = services.GetService<IDatabaseProvider>();
            throw new OperationException(DesignStrings.NonRelationalProvider(provider?.Name ?? "Unknown"));
        }
    }

    // As MigrationsOperations.EnsureMigrationsAssembly: the migrations must live in the project's assembly.
    private static void EnsureMigrationsAssembly(IServiceProvider services, Assembly assembly)
    {
        var options = RelationalOptionsExtension.Extract(services.GetRequiredService<IDbContextOptions>());
        if (options.MigrationsAssemblyObject is not null && options.MigrationsAssemblyObject == assembly)
        {
            return;
        }

        var contextType = services.GetRequiredService<ICurrentDbContext>().Context.GetType();
        var expected = options.MigrationsAssembly ?? options.MigrationsAssemblyObject?.GetName().Name ?? contextType.Assembly.GetName().Name;
        var name = assembly.GetName();
        if (name.Name != expected && name.FullName != expected)
        {
            throw new OperationException(DesignStrings.MigrationsAssemblyMismatch(name.Name, expected));
        }
    }
}
