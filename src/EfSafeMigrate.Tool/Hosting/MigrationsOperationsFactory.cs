#pragma warning disable EF1001 // MigrationsOperations and DesignTimeServicesBuilder are EF Core Design's, the ones dotnet ef uses.
using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Internal;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using EfMigrationFiles = Microsoft.EntityFrameworkCore.Migrations.Design.MigrationFiles;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// EF Core Design's migration scaffolding, set up as <c>dotnet ef migrations add|remove</c> sets
/// it up: a <see cref="MigrationsOperations"/> built from what the outer process said about the
/// project (<see cref="InnerHostArguments"/>: migrations and startup assemblies, project folder,
/// root namespace), language C#. EF Core writes and deletes the migration, designer and snapshot
/// files itself; EF Core's informational messages are shown, its verbose ones with <c>--verbose</c>.
/// </summary>
internal static class MigrationsOperationsFactory
{
    /// <summary>The language of the generated code (the only one EF Core Design ships).</summary>
    public const string Language = "C#";

    /// <summary>Creates EF Core Design's migrations operations for the project the outer process described.</summary>
    /// <param name="host">The project the outer process described.</param>
    /// <param name="reporter">Receives EF Core's messages: warnings and information always, errors (its logger's) and verbose ones with --verbose.</param>
    /// <remarks>
    /// As in <c>dotnet ef</c>, the operations create their own DbContext (design-time factory, the
    /// application's host, or a parameterless constructor) with the connection the application configures.
    /// No application arguments are passed to a design-time factory (<c>dotnet ef</c>'s <c>-- args</c>).
    /// </remarks>
    public static MigrationsOperations Create(InnerHostArguments host, Reporter reporter)
    {
        var (assembly, startupAssembly) = LoadAssemblies(host);
        return new MigrationsOperations(
            CreateOperationReporter(reporter), assembly, startupAssembly, host.ProjectDir, host.RootNamespace, Language, nullable: true, args: []);
    }

    /// <summary>
    /// Scaffolds a migration for the pending model changes and writes its three files, exactly as
    /// <c>dotnet ef migrations add</c> (<see cref="MigrationsOperations.AddMigration"/>): in
    /// <paramref name="outputDir"/> (relative to the project folder), else beside the previous
    /// migration, else <c>Migrations</c>; the snapshot is rewritten in place.
    /// </summary>
    /// <param name="host">The project.</param>
    /// <param name="reporter">Output.</param>
    /// <param name="name">The migration's name, e.g. <c>AddProductColour</c>.</param>
    /// <param name="outputDir">The <c>--output-dir</c> option, or null.</param>
    /// <param name="contextType">The <c>--context</c> option, or null.</param>
    /// <param name="namespace">The <c>--namespace</c> option, or null (then derived from the folder).</param>
    /// <returns>The full paths of the migration, designer and snapshot files written.</returns>
    /// <exception cref="CommandException">EF Core refused (invalid or taken name, name equal to the context's, several contexts without --context, non-relational provider, migrations assembly mismatch; exit code 2).</exception>
    public static EfMigrationFiles AddMigration(InnerHostArguments host, Reporter reporter, string name, string? outputDir, string? contextType, string? @namespace)
    {
        try
        {
            return Create(host, reporter).AddMigration(name, outputDir, contextType, @namespace, dryRun: false);
        }
        catch (OperationException ex)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot add migration '{name}' to '{host.Project}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Removes the newest migration as <c>dotnet ef migrations remove</c> does
    /// (<see cref="MigrationsOperations.RemoveMigration"/> in EF Core 10): deletes its migration and
    /// designer files and reverts the model snapshot to the migration before it (deletes it when
    /// none is left). When the newest migration does not match the snapshot (its files were
    /// already deleted by hand), only the snapshot is reverted. EF Core refuses to remove a
    /// migration the database has applied unless <paramref name="force"/>; with it, EF Core reverts
    /// the migration first, and when the database cannot be reached it warns and removes the files.
    /// </summary>
    /// <param name="host">The project.</param>
    /// <param name="reporter">Output.</param>
    /// <param name="contextType">The <c>--context</c> option, or null.</param>
    /// <param name="force">The <c>--force</c> option.</param>
    /// <param name="connection">
    /// The <c>--connection</c> option. Null: EF Core creates the context with the application's own
    /// connection. Given: EF Core 10's <c>RemoveMigration</c> takes no connection string, so its same
    /// steps run here on a context created by <see cref="DbContextLoader"/> with this connection, and
    /// that is the database checked (and reverted with <paramref name="force"/>).
    /// </param>
    /// <returns>The files deleted (the snapshot file only when it was deleted rather than rewritten).</returns>
    /// <exception cref="CommandException">EF Core refused: no snapshot, the migration is applied (without force), non-relational provider, migrations assembly mismatch (exit code 2).</exception>
    public static EfMigrationFiles RemoveMigration(InnerHostArguments host, Reporter reporter, string? contextType, bool force, string? connection)
    {
        try
        {
            if (string.IsNullOrEmpty(connection))
            {
                return Create(host, reporter).RemoveMigration(contextType, force, dryRun: false);
            }

            // EF Core 10's MigrationsOperations.RemoveMigration, on a context with the connection. A
            // fresh one: the scaffolder must see the migrations assembly and snapshot as EF Core made them.
            using var context = DbContextLoader.Create(host, contextType, connection, reporter);
            var (assembly, startupAssembly) = LoadAssemblies(host);
            var operationReporter = CreateOperationReporter(reporter);
            var services = new DesignTimeServicesBuilder(assembly, startupAssembly, operationReporter, []).Build(context);
            EnsureRelational(services);
            EnsureMigrationsAssembly(services, assembly);
            using var scope = services.CreateScope();
            var scaffolder = scope.ServiceProvider.GetRequiredService<IMigrationsScaffolder>();
            var files = scaffolder.RemoveMigration(host.ProjectDir, host.RootNamespace, force, Language, dryRun: false);
            operationReporter.WriteInformation(DesignStrings.Done);
            return files;
        }
        catch (OperationException ex)
        {
            throw new CommandException(ExitCodes.UsageError, $"Cannot remove the newest migration of '{host.Project}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The migration <see cref="RemoveMigration"/> would delete, by EF Core's rule: the newest
    /// migration of the migrations assembly, when its target model matches the model snapshot's;
    /// null when there is no migration or no snapshot, or when they differ (then EF Core only
    /// reverts the snapshot).
    /// </summary>
    /// <param name="migrator">The migrator of the session's context.</param>
    /// <returns>The migration id and the id of the migration before it (<c>0</c> when it is the first).</returns>
    /// <remarks>
    /// Finalizes the snapshot model cached by that context's migrations assembly, after which EF Core's
    /// scaffolder can no longer use the context (it fails in GetRelationalModel): <see cref="RemoveMigration"/>
    /// therefore always works on a context of its own.
    /// </remarks>
    public static (string Id, string Previous)? MigrationToRemove(SafeMigrator migrator)
    {
        var ids = migrator.Migrations;
        var snapshot = migrator.GetSnapshotModel();
        if (ids.Count == 0 || snapshot is null)
        {
            return null;
        }

        var newest = ids[^1];
        var target = migrator.GetTargetModel(newest);
        var differ = migrator.Context.GetService<IMigrationsModelDiffer>();
        if (target is null || differ.HasDifferences(target.GetRelationalModel(), snapshot.GetRelationalModel()))
        {
            return null;
        }

        return (newest, ids.Count > 1 ? ids[^2] : Migration.InitialDatabase);
    }

    private static (System.Reflection.Assembly Assembly, System.Reflection.Assembly StartupAssembly) LoadAssemblies(InnerHostArguments host)
    {
        var assembly = AppAssemblyResolver.Load(host.Assembly);
        var startupAssembly = host.StartupAssembly == host.Assembly ? assembly : AppAssemblyResolver.Load(host.StartupAssembly);
        return (assembly, startupAssembly);
    }

    // EF Core's error-level messages here are its logger's (e.g. the failed connection of a
    // database-exists probe, which EF Core handles); real failures surface as exceptions. They are
    // shown with --verbose, as DbContextLoader shows them.
    private static OperationReporter CreateOperationReporter(Reporter reporter)
        => new(new OperationReportHandler(
            errorHandler: reporter.Detail,
            warningHandler: reporter.Warning,
            informationHandler: reporter.Info,
            verboseHandler: reporter.Detail));

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
    private static void EnsureMigrationsAssembly(IServiceProvider services, System.Reflection.Assembly assembly)
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
