namespace EfSafeMigrate.Squashing;

/// <summary>
/// What the squash rules (<see cref="SquashRules"/>) decided for one database: which migrations of
/// the code do not apply to it, which squashed migrations count as applied without a history row,
/// and which history rows a squashed migration stands for. Immutable.
/// </summary>
public sealed class SquashResolution
{
    internal SquashResolution(IReadOnlySet<string> hidden, IReadOnlyList<string> countedAsApplied, IReadOnlySet<string> covered)
    {
        Hidden = hidden;
        CountedAsApplied = countedAsApplied;
        Covered = covered;
    }

    /// <summary>The resolution of code without squashed migrations: nothing hidden, nothing synthetic.</summary>
    public static SquashResolution None { get; } = new(
        new HashSet<string>(StringComparer.OrdinalIgnoreCase),
        [],
        new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// Migrations of the code that do not apply to this database: the migrations a squashed migration
    /// replaces when it applies, or the squashed migration itself when the database is inside (or
    /// at the end of) its range while the replaced migrations are still in the code.
    /// </summary>
    public IReadOnlySet<string> Hidden { get; }

    /// <summary>
    /// Squashed migrations that have no history row but count as applied because every migration
    /// they replace is applied (EF Core sees a synthetic history row for each; none is written), oldest first.
    /// </summary>
    public IReadOnlyList<string> CountedAsApplied { get; }

    /// <summary>
    /// History ids that a squashed migration applying to this database stands for: the rows of the
    /// migrations it replaces, when it counts as applied. They are neither pending nor unknown.
    /// </summary>
    public IReadOnlySet<string> Covered { get; }

    /// <summary>True when the migration applies to this database (it is not <see cref="Hidden"/>).</summary>
    public bool IsVisible(string migrationId) => !Hidden.Contains(migrationId);

    /// <summary>
    /// The applied migrations as the rules see them, oldest first: the history rows that no squashed
    /// migration stands for (<see cref="Covered"/>), plus the squashed migrations that count as
    /// applied and apply to this database. Every id is either a visible migration of the code, or a
    /// row the code does not know (e.g. from another branch). This is what <c>status</c> lists.
    /// </summary>
    /// <param name="appliedIds">The ids in the history table.</param>
    public IReadOnlyList<string> EffectiveApplied(IEnumerable<string> appliedIds)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var id in appliedIds)
        {
            if (!Covered.Contains(id))
            {
                result.Add(id);
            }
        }

        foreach (var id in CountedAsApplied)
        {
            if (IsVisible(id))
            {
                result.Add(id);
            }
        }

        return result.ToList();
    }
}
