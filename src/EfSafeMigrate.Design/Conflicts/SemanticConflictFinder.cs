using EfSafeMigrate.Design.Merge;
using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Design.Conflicts;

/// <summary>
/// Finds, before a merge and without a build, what two branches' new migrations both touch: each migration's
/// <c>Up</c> is read as syntax (<see cref="MigrationSyntaxReader"/>) and the two sides are compared with the rule
/// <c>merge</c> applies to built migrations (<see cref="BranchOverlap"/>: the same column, index, key or table
/// with a change on at least one side; a changed table and anything on it; a rename on one side and a use of
/// either name on the other; custom SQL that mentions a changed object, or the same table on both sides).
/// </summary>
internal static class SemanticConflictFinder
{
    /// <summary>The objects both sides touch.</summary>
    /// <param name="ours">This branch's migrations added since the merge base, oldest first, with the text of their files.</param>
    /// <param name="theirs">The other side's migrations added since the merge base, oldest first, with the text of their files.</param>
    /// <returns>One conflict per pair of operations (this side's, the other's) that share objects, in the order found; and the builder calls that could not be read.</returns>
    public static (IReadOnlyList<SemanticConflict> Conflicts, IReadOnlyList<string> Skipped) Find(IReadOnlyList<MigrationText> ours, IReadOnlyList<MigrationText> theirs)
    {
        var skipped = new List<string>();
        var located = new Dictionary<Microsoft.EntityFrameworkCore.Migrations.Operations.MigrationOperation, LocatedOperation>(ReferenceEqualityComparer.Instance);

        List<BranchMigration> Read(IReadOnlyList<MigrationText> side)
        {
            var migrations = new List<BranchMigration>();
            foreach (var migration in side)
            {
                var operations = new List<LocatedOperation>();
                foreach (var file in migration.Files)
                {
                    var syntax = MigrationSyntaxReader.Read(file.Path, file.Content);
                    operations.AddRange(syntax.Operations);
                    skipped.AddRange(syntax.Skipped.Select(s => $"'{migration.Id}': {s}"));
                }

                foreach (var operation in operations)
                {
                    located[operation.Operation] = operation;
                }

                migrations.Add(new BranchMigration(migration.Id, operations.Select(o => o.Operation).ToList()));
            }

            return migrations;
        }

        var shared = BranchOverlap.Find(Read(ours), Read(theirs), []);
        var conflicts = shared
            .Where(s => s.UpOperationA is not null && s.UpOperationB is not null)
            .GroupBy(s => (located[s.UpOperationA!], located[s.UpOperationB!]))
            .Select(g => new SemanticConflict(g.Select(s => s.Object).Distinct().ToList(), g.First(), g.Key.Item1, g.Key.Item2))
            .ToList();
        return (conflicts, skipped);
    }
}

/// <summary>A migration with the text of the files that declare it.</summary>
/// <param name="Id">The migration id.</param>
/// <param name="Files">Its files (the migration file and its designer), with their text.</param>
internal sealed record MigrationText(string Id, IReadOnlyList<SourceFile> Files);

/// <summary>Objects both branches touch, with the operation of each side and where it is written.</summary>
/// <param name="Objects">The objects both operations touch (a rename touches the old and the new name), in the order found.</param>
/// <param name="Shared">The first of them, The object, both migrations and both operations (<see cref="SharedObject.MigrationA"/> is this branch's).</param>
/// <param name="Ours">This branch's operation and its place.</param>
/// <param name="Theirs">The other side's operation and its place.</param>
internal sealed record SemanticConflict(IReadOnlyList<Footprint.SchemaObject> Objects, SharedObject Shared, LocatedOperation Ours, LocatedOperation Theirs);
