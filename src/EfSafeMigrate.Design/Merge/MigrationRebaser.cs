using EfSafeMigrate.Design.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Moves one branch's migration after the other branch's head (<c>merge --rebase</c>), with EF Core
/// Design's own code generation, the steps <c>MigrationsScaffolder.ScaffoldMigration</c> and
/// <c>Save</c> take for <c>dotnet ef migrations add</c> when the model snapshot is the other head's
/// target model: <c>Up</c> is EF Core's model differ's difference from that head's target model to the
/// code model (<see cref="IDesignTimeModel"/>), <c>Down</c> the difference back; the designer's target
/// model is the code model, and the snapshot is regenerated from it. The moved migration's custom
/// operations (<c>Sql(...)</c> and the like) are kept in their order and place, or the move is refused
/// naming them (<see cref="RebasedOperations"/>). The new files are placed by <see cref="IMigrationsScaffolder.Save"/>
/// beside the other head's migration, under the same name and a new, later id; only once they are written
/// are the moved migration's migration and designer files deleted (a failed write leaves them).
/// </summary>
/// <remarks>
/// EF Core's <c>MigrationsOperations.AddMigration</c> itself cannot be used in the same process: it reads
/// the model snapshot and the taken names from the already built migrations assembly, which still holds
/// the moved migration and the merged snapshot. The differ, the generators and the file placement are the
/// same EF Core services it uses.
/// </remarks>
internal static class MigrationRebaser
{
    /// <summary>Writes the moved migration's replacement and the snapshot, then deletes the moved migration's files.</summary>
    /// <param name="services">EF Core Design's services for <paramref name="context"/>.</param>
    /// <param name="context">The application's context.</param>
    /// <param name="ontoTargetModel">The target model of <see cref="MigrationRebaseRequest.OntoId"/> (from its designer).</param>
    /// <param name="moved">The moved migration as EF Core builds it (its operations and target model).</param>
    /// <param name="parentTargetModel">The target model of the fork's common ancestor, or null when there is none (an empty model).</param>
    /// <param name="otherBranch">The Up operations of the other branch's migrations, oldest first.</param>
    /// <param name="request">The migration to move.</param>
    /// <returns>The full paths of the files written, the files deleted, the number of operations of the new <c>Up</c>, and the custom operations kept.</returns>
    /// <exception cref="MergeRefusedException">The moved migration's files are not found in the project folder (<see cref="MergeRefusal.Unsupported"/>),
    /// or its hand-written operations cannot be moved (<see cref="MergeRefusal.Conflict"/>); nothing was changed.</exception>
    public static (MigrationFiles Written, IReadOnlyList<string> Deleted, int UpOperations, IReadOnlyList<KeptOperation> Kept) Rebase(
        DesignTimeServices services, DbContext context, IModel ontoTargetModel, RangeMigration moved, IModel? parentTargetModel,
        IReadOnlyList<(string Id, IReadOnlyList<MigrationOperation> Up)> otherBranch, MigrationRebaseRequest request)
    {
        var generator = services.CSharpGenerator;
        var migrationsAssembly = context.GetService<IMigrationsAssembly>();
        var differ = services.Services.GetRequiredService<IMigrationsModelDiffer>();
        var model = context.GetService<IDesignTimeModel>().Model;
        var contextType = context.GetType();

        var migrationNamespace = migrationsAssembly.Migrations.TryGetValue(request.MovedId, out var movedType) && movedType.Namespace is { } ns
            ? ns
            : request.RootNamespace + ".Migrations";
        var (snapshotName, snapshotNamespace) = MigrationScaffolding.Snapshot(migrationsAssembly, contextType, migrationNamespace);

        // As MigrationsScaffolder.ScaffoldMigration, with the other head's target model as the snapshot.
        var (up, down, kept) = RebasedOperations.Plan(
            moved,
            differ.GetDifferences(parentTargetModel?.GetRelationalModel(), moved.TargetModel.GetRelationalModel()),
            differ.GetDifferences(moved.TargetModel.GetRelationalModel(), parentTargetModel?.GetRelationalModel()),
            differ.GetDifferences(ontoTargetModel.GetRelationalModel(), model.GetRelationalModel()),
            differ.GetDifferences(model.GetRelationalModel(), ontoTargetModel.GetRelationalModel()),
            otherBranch);

        var oldFiles = MigrationScaffolding.ExistingFiles(request.ProjectDir, request.MovedId, generator.FileExtension);
        if (!oldFiles.Any(file => Path.GetFileName(file) == request.MovedId + generator.FileExtension))
        {
            throw new MergeRefusedException(MergeRefusal.Unsupported,
                $"The files of migration '{request.MovedId}' ({request.MovedId}{generator.FileExtension}) are not under {request.ProjectDir}, so they cannot be moved. " +
                "Restore them from git (or build the project again if they were deleted), then run 'dotnet safe-migrate merge --rebase' again.");
        }

        var scaffolded = MigrationScaffolding.Scaffold(
            generator.FileExtension,
            request.RootNamespace,
            request.OntoId,
            (request.NewId, migrationNamespace,
                generator.GenerateMigration(migrationNamespace, request.Name, up, down),
                generator.GenerateMetadata(migrationNamespace, contextType, request.Name, request.NewId, model)),
            (snapshotName, snapshotNamespace, generator.GenerateSnapshot(snapshotNamespace, contextType, snapshotName, model)));
        var scaffolder = services.Services.GetRequiredService<IMigrationsScaffolder>();
        var written = scaffolder.Save(request.ProjectDir, scaffolded, outputDir: null, dryRun: false);

        // Only now that the new files are on disk: the new ids differ, so the written files are never the deleted ones.
        var deleted = oldFiles;
        foreach (var file in deleted)
        {
            File.Delete(file);
        }

        return (written, deleted, up.Count - kept.Count(k => k.Direction == "Up"), kept);
    }
}
