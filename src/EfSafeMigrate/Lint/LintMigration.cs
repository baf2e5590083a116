using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>
/// One migration as lint sees it: the operations that would run (its <c>Up</c> when applied, its
/// <c>Down</c> when reverted), the other direction's operations (to check that <c>Down</c> undoes
/// <c>Up</c>), and where each operation is written.
/// </summary>
/// <param name="Id">The migration id.</param>
/// <param name="IsRevert">True when <paramref name="Operations"/> are the <c>Down</c> operations (a rollback).</param>
/// <param name="Operations">The operations that would run, in order.</param>
/// <param name="Counterpart">The other method's operations, in order (<c>Down</c> when applying, <c>Up</c> when reverting).</param>
/// <param name="Source">The migration's source file, when found: operation lines and suppression comments.</param>
/// <param name="DownFailure">The message of the exception <c>Down</c> threw while its operations were built (an irreversible migration), or null.</param>
internal sealed record LintMigration(
    string Id,
    bool IsRevert,
    IReadOnlyList<MigrationOperation> Operations,
    IReadOnlyList<MigrationOperation> Counterpart,
    MigrationSourceMap? Source = null,
    string? DownFailure = null)
{
    /// <summary><c>up</c> or <c>down</c>.</summary>
    public string Direction => IsRevert ? "down" : "up";

    /// <summary>The <c>Up</c> operations.</summary>
    public IReadOnlyList<MigrationOperation> Up => IsRevert ? Counterpart : Operations;

    /// <summary>The <c>Down</c> operations.</summary>
    public IReadOnlyList<MigrationOperation> Down => IsRevert ? Operations : Counterpart;
}
