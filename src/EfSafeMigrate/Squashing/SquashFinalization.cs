
namespace EfSafeMigrate.Squashing;

/// <summary>
/// One squashed migration to finalize (<c>squash --finalize</c>): the migrations of the code it
/// replaces, whose files are to be deleted.
/// </summary>
/// <param name="Squash">The squashed migration (its id and its <c>[Replaces]</c> list).</param>
/// <param name="DeletedIds">
/// The migrations of the code it replaces, directly or through a squashed migration it replaces, oldest
/// first: those still in the code, whose files finalizing deletes.
/// </param>
public sealed record SquashFinalization(SquashedMigration Squash, IReadOnlyList<string> DeletedIds)
{
    /// <summary>The squashed migration's id.</summary>
    public string Id => Squash.Id;
}
