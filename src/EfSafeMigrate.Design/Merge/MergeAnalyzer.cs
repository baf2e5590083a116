using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Decides whether the two branches of a fork can be joined by an empty merge migration: first the
/// objects both branches' migrations act on (<see cref="BranchOverlap"/>, from each migration's
/// <c>Up</c> operations), then, when they share none, whether the code model is exactly both
/// branches' changes together (<see cref="MergedModelCheck"/>). Reads the migrations and their
/// target models from the built migrations assembly through <see cref="SafeMigrator"/>.
/// </summary>
internal static class MergeAnalyzer
{
    /// <summary>Analyzes <paramref name="fork"/>.</summary>
    /// <param name="migrator">The migrator of the application's context.</param>
    /// <param name="fork">The fork, from the recorded parents.</param>
    /// <exception cref="MergeRefusedException">A migration of the fork is not in the built assembly, or a head has no designer (<see cref="MergeRefusal.Unsupported"/>).</exception>
    public static MergeAnalysis Analyze(SafeMigrator migrator, MigrationFork fork)
    {
        var context = migrator.Context;
        var known = migrator.Migrations.ToHashSet(StringComparer.Ordinal);
        var missing = fork.BranchA.Concat(fork.BranchB).Append(fork.Parent).OfType<string>().Where(id => !known.Contains(id)).ToList();
        if (missing.Count > 0)
        {
            throw new MergeRefusedException(MergeRefusal.Unsupported,
                $"safe-migrate.sum lists {string.Join(", ", missing.Select(id => $"'{id}'"))}, which the built assembly of {context.GetType().Name} does not contain. " +
                "Build the project (leave out --no-build) and check that the migration's files are in the project, then run merge again.");
        }

        var codeModel = context.GetService<IDesignTimeModel>().Model;
        var shared = BranchOverlap.Find(
            Branch(migrator, fork.BranchA),
            Branch(migrator, fork.BranchB),
            codeModel.GetRelationalModel().Tables.Select(t => t.Name));
        if (shared.Count > 0)
        {
            return new MergeAnalysis(fork, shared, null);
        }

        var differences = MergedModelCheck.Check(
            context.GetService<IMigrationsModelDiffer>(),
            fork.Parent is null ? null : TargetModel(migrator, fork.Parent),
            TargetModel(migrator, fork.HeadA),
            TargetModel(migrator, fork.HeadB),
            codeModel);
        return new MergeAnalysis(fork, [], differences);
    }

    private static List<BranchMigration> Branch(SafeMigrator migrator, IReadOnlyList<string> ids)
        => ids.Select(id => new BranchMigration(id, migrator.GetMigration(id).UpOperations)).ToList();

    private static IModel TargetModel(SafeMigrator migrator, string id)
        => migrator.GetTargetModel(id) ?? throw new MergeRefusedException(MergeRefusal.Unsupported,
            $"Migration '{id}' has no designer file (no [DbContext] or BuildTargetModel), so its target model is unknown and merge cannot prove that the branches' changes add up to the code model. " +
            $"Restore its designer file ({id}.Designer.cs) from git, then run merge again.");
}
