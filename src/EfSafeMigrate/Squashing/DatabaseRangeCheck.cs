namespace EfSafeMigrate.Squashing;

/// <summary>What one database's history says about a squash that is to be finalized.</summary>
/// <param name="Finalization">The squash.</param>
/// <param name="Position">Where the database stands relative to its range.</param>
/// <param name="AppliedIds">The replaced migrations the database has applied, oldest first (for <see cref="SquashRangePosition.Inside"/>; empty otherwise).</param>
/// <param name="NotAppliedIds">The replaced migrations it has not applied, oldest first (for <see cref="SquashRangePosition.Inside"/>; empty otherwise).</param>
public sealed record DatabaseRangeCheck(
    SquashFinalization Finalization,
    SquashRangePosition Position,
    IReadOnlyList<string> AppliedIds,
    IReadOnlyList<string> NotAppliedIds)
{
    /// <summary>True when the database would be refused once the replaced migrations are gone.</summary>
    public bool IsInside => Position == SquashRangePosition.Inside;
}
