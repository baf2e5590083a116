using EfSafeMigrate.Design.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Design;

namespace EfSafeMigrate.Design.Merge;

/// <summary>One migration moved by <see cref="BranchRebaser"/>.</summary>
/// <param name="OldId">Its id before.</param>
/// <param name="NewId">Its new id.</param>
/// <param name="Parent">The migration it now follows.</param>
/// <param name="UpOperations">The number of schema operations of its new <c>Up</c>.</param>
/// <param name="Kept">Its hand-written operations kept in place.</param>
/// <param name="Written">The files written (null until written).</param>
internal sealed record RebasedMigration(string OldId, string NewId, string Parent, int UpOperations, IReadOnlyList<KeptOperation> Kept, MigrationFiles? Written);
