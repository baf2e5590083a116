using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>One migration of a branch, with the operations of its <c>Up</c>.</summary>
/// <param name="Id">The migration id.</param>
/// <param name="UpOperations">The operations its <c>Up</c> builds, in order.</param>
internal sealed record BranchMigration(string Id, IReadOnlyList<MigrationOperation> UpOperations);
