using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Writes a merge migration with EF Core Design's own code generation, the way
/// <c>MigrationsScaffolder.ScaffoldMigration</c> and <c>Save</c> do for <c>dotnet ef migrations add</c>:
/// the migration file (<see cref="IMigrationsCodeGenerator.GenerateMigration"/>) with empty
/// <c>Up</c> and <c>Down</c>, since both branches' changes already run in their own migrations;
/// the designer file (<see cref="IMigrationsCodeGenerator.GenerateMetadata"/>) whose target model is
/// the code model (the design-time model, <see cref="IDesignTimeModel"/>, which is the merged model);
/// and the model snapshot regenerated from that model
/// (<see cref="IMigrationsCodeGenerator.GenerateSnapshot"/>), same class and file as the existing one.
/// Files are placed by <see cref="IMigrationsScaffolder.Save"/>: beside the newer head's migration, the
/// snapshot where it is. The migration's namespace is the newer head's, as EF Core reuses the last
/// migration's namespace.
/// </summary>
internal static class MergeMigrationWriter
{
    /// <summary>Generates and writes the three files.</summary>
    /// <param name="services">EF Core Design's services for <paramref name="context"/>.</param>
    /// <param name="context">The application's context.</param>
    /// <param name="request">The migration to write.</param>
    /// <returns>The full paths of the migration, designer and snapshot files written.</returns>
    public static MigrationFiles Write(DesignTimeServices services, DbContext context, MergeMigrationRequest request)
    {
        var generator = services.CSharpGenerator;
        var migrationsAssembly = context.GetService<IMigrationsAssembly>();
        var model = context.GetService<IDesignTimeModel>().Model;
        var contextType = context.GetType();
        var newerHead = string.CompareOrdinal(request.Fork.HeadA, request.Fork.HeadB) > 0 ? request.Fork.HeadA : request.Fork.HeadB;
        var migrationNamespace = migrationsAssembly.Migrations.TryGetValue(newerHead, out var headType) && headType.Namespace is { } ns
            ? ns
            : request.RootNamespace + ".Migrations";

        var (snapshotName, snapshotNamespace) = MigrationScaffolding.Snapshot(migrationsAssembly, contextType, migrationNamespace);
        var scaffolded = MigrationScaffolding.Scaffold(
            generator.FileExtension,
            request.RootNamespace,
            newerHead,
            (request.Id, migrationNamespace,
                generator.GenerateMigration(migrationNamespace, request.Name, [], []),
                generator.GenerateMetadata(migrationNamespace, contextType, request.Name, request.Id, model)),
            (snapshotName, snapshotNamespace, generator.GenerateSnapshot(snapshotNamespace, contextType, snapshotName, model)));
        var scaffolder = services.Services.GetRequiredService<IMigrationsScaffolder>();
        return scaffolder.Save(request.ProjectDir, scaffolded, outputDir: null, dryRun: false);
    }
}
