using EfSafeMigrate.Design.Squashing;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>What <see cref="BranchRebaser"/> moves and where it writes.</summary>
/// <param name="Moved">This branch's migrations as EF Core builds them, oldest first, each with its new id (later than every other migration, in the same order) and its name.</param>
/// <param name="ParentModel">The target model of the fork's common ancestor (the model this branch started from).</param>
/// <param name="OntoId">The other branch's head, which the first moved migration will follow.</param>
/// <param name="OntoModel">Its target model.</param>
/// <param name="OtherBranch">The Up operations of the other branch's migrations, oldest first (they now run before every moved migration).</param>
/// <param name="ThreeWayMerge">Merges (base, ours, theirs) texts line by line (<c>git merge-file</c>); null when they conflict.</param>
/// <param name="ProjectDir">The migrations project's folder.</param>
/// <param name="RootNamespace">The project's root namespace.</param>
internal sealed record BranchRebaseRequest(
    IReadOnlyList<(RangeMigration Migration, string NewId, string Name)> Moved,
    IModel ParentModel,
    string OntoId,
    IModel OntoModel,
    IReadOnlyList<(string Id, IReadOnlyList<MigrationOperation> Up)> OtherBranch,
    Func<string, string, string, string?> ThreeWayMerge,
    string ProjectDir,
    string RootNamespace);
