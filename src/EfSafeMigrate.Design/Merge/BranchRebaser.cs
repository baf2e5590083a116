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
/// Moves all of one branch's migrations, oldest first, after the other branch's head (<c>merge --rebase</c> without a
/// migration name), with EF Core Design's own code generation, as if each had been added with <c>dotnet ef migrations
/// add</c> on top of the other head: migration <c>i</c> gets a new id (same name, ids in the old order, all later than
/// every other migration); its target model is its own rebuilt on the other head (<see cref="RebuiltTargetModel"/>:
/// the other head's target model plus this branch's changes up to it; the last one is the code model, and the rebuilt
/// model must equal it); its <c>Up</c>/<c>Down</c> are EF Core's model differ's operations between the previous moved
/// migration's target model (the other head's for the first) and its own, with its hand-written operations kept in
/// place or the move refused naming them (<see cref="RebasedOperations"/>). Everything is generated before anything is
/// written; the new files (and the snapshot, regenerated from the code model) are written by
/// <see cref="IMigrationsScaffolder.Save"/>, and only then are the old migrations' files deleted.
/// </summary>
internal static class BranchRebaser
{
    /// <summary>Writes the moved migrations' replacements and the snapshot, then deletes the old files.</summary>
    /// <param name="services">EF Core Design's services for <paramref name="context"/>.</param>
    /// <param name="context">The application's context.</param>
    /// <param name="request">What to move and where.</param>
    /// <returns>One result per moved migration, oldest first, and the files deleted.</returns>
    /// <exception cref="MergeRefusedException">A moved migration's files are not in the project folder (<see cref="MergeRefusal.Unsupported"/>);
    /// a target model cannot be rebuilt on the other head, the last one is not the code model, or a hand-written operation cannot
    /// be moved (<see cref="MergeRefusal.Conflict"/>). Nothing was changed.</exception>
    public static (IReadOnlyList<RebasedMigration> Migrations, IReadOnlyList<string> Deleted) Rebase(
        DesignTimeServices services, DbContext context, BranchRebaseRequest request)
    {
        var generator = services.CSharpGenerator;
        var migrationsAssembly = context.GetService<IMigrationsAssembly>();
        var differ = services.Services.GetRequiredService<IMigrationsModelDiffer>();
        var codeModel = context.GetService<IDesignTimeModel>().Model;
        var contextType = context.GetType();
        var rebuilder = new RebuiltTargetModel(services, contextType, request.ParentModel, request.OntoModel, request.ThreeWayMerge);

        var firstNamespace = migrationsAssembly.Migrations.TryGetValue(request.Moved[0].Migration.Id, out var firstType) ? firstType.Namespace : null;
        var (snapshotName, snapshotNamespace) = MigrationScaffolding.Snapshot(migrationsAssembly, contextType, firstNamespace ?? request.RootNamespace + ".Migrations");
        var snapshotCode = generator.GenerateSnapshot(snapshotNamespace, contextType, snapshotName, codeModel);

        // Generate everything first: a refusal here changes nothing.
        var planned = new List<(ScaffoldedMigration Scaffolded, RebasedMigration Result, List<string> OldFiles)>();
        IModel previousTarget = request.OntoModel;
        IModel? previousOwn = request.ParentModel;
        var problems = new List<string>();
        for (var i = 0; i < request.Moved.Count; i++)
        {
            var (moved, newId, name) = request.Moved[i];
            var last = i == request.Moved.Count - 1;
            var rebuilt = rebuilder.For(moved.TargetModel);
            if (rebuilt is null)
            {
                throw new MergeRefusedException(MergeRefusal.Conflict,
                    $"Cannot rebase '{moved.Id}': its changes and the other branch's changes touch neighbouring lines of the model snapshot, so its target model cannot be rebuilt on '{request.OntoId}' line by line. Nothing was changed. " +
                    "Rebase the migrations of this branch one at a time after squashing them (dotnet safe-migrate squash, then dotnet safe-migrate merge --rebase <name>), or remove them and add them again on top of the other branch's (dotnet safe-migrate remove, dotnet safe-migrate add <Name>).");
            }

            if (last && differ.HasDifferences(rebuilt.GetRelationalModel(), codeModel.GetRelationalModel()))
            {
                var differences = differ.GetDifferences(rebuilt.GetRelationalModel(), codeModel.GetRelationalModel());
                throw new MergeRefusedException(MergeRefusal.Conflict,
                    $"Cannot rebase the branch ending in '{moved.Id}': the code model is not '{request.OntoId}''s target model plus this branch's changes; it differs by {string.Join(", ", differences.Take(5).Select(o => OperationText.Describe(o)))}. Nothing was changed. " +
                    "Add those changes in a migration of their own after the rebase (set them aside, run merge --rebase, bring them back, dotnet safe-migrate add <Name>), or make the model's code hold both branches' changes.");
            }

            var target = last ? codeModel : rebuilt;
            try
            {
                var (up, down, kept) = RebasedOperations.Plan(
                    moved,
                    differ.GetDifferences(previousOwn?.GetRelationalModel(), moved.TargetModel.GetRelationalModel()),
                    differ.GetDifferences(moved.TargetModel.GetRelationalModel(), previousOwn?.GetRelationalModel()),
                    differ.GetDifferences(previousTarget.GetRelationalModel(), target.GetRelationalModel()),
                    differ.GetDifferences(target.GetRelationalModel(), previousTarget.GetRelationalModel()),
                    request.OtherBranch);

                var migrationNamespace = migrationsAssembly.Migrations.TryGetValue(moved.Id, out var type) && type.Namespace is { } ns ? ns : snapshotNamespace;
                var oldFiles = MigrationScaffolding.ExistingFiles(request.ProjectDir, moved.Id, generator.FileExtension);
                if (oldFiles.Count == 0)
                {
                    throw new MergeRefusedException(MergeRefusal.Unsupported,
                        $"The files of migration '{moved.Id}' ({moved.Id}{generator.FileExtension}) are not under {request.ProjectDir}, so they cannot be moved. Nothing was changed. " +
                        "Restore them from git, then run 'dotnet safe-migrate merge --rebase' again.");
                }

                var parent = i == 0 ? request.OntoId : request.Moved[i - 1].NewId;
                var scaffolded = MigrationScaffolding.Scaffold(
                    generator.FileExtension,
                    request.RootNamespace,
                    parent,
                    (newId, migrationNamespace,
                        generator.GenerateMigration(migrationNamespace, name, up, down),
                        generator.GenerateMetadata(migrationNamespace, contextType, name, newId, target)),
                    (snapshotName, snapshotNamespace, snapshotCode));
                planned.Add((scaffolded, new RebasedMigration(moved.Id, newId, parent, up.Count - kept.Count(k => k.Direction == "Up"), kept, null), [.. oldFiles]));
            }
            catch (MergeRefusedException ex) when (ex.Refusal == MergeRefusal.Conflict)
            {
                problems.Add(ex.Message);
            }

            previousTarget = target;
            previousOwn = moved.TargetModel;
        }

        if (problems.Count > 0)
        {
            throw new MergeRefusedException(MergeRefusal.Conflict, string.Join(Environment.NewLine, problems));
        }

        // Write all, then delete: the new ids differ from the old, so a written file is never a deleted one.
        var scaffolder = services.Services.GetRequiredService<IMigrationsScaffolder>();
        var results = new List<RebasedMigration>();
        foreach (var (scaffolded, result, _) in planned)
        {
            results.Add(result with { Written = scaffolder.Save(request.ProjectDir, scaffolded, outputDir: null, dryRun: false) });
        }

        var deleted = planned.SelectMany(p => p.OldFiles).ToList();
        foreach (var file in deleted)
        {
            File.Delete(file);
        }

        return (results, deleted);
    }
}
