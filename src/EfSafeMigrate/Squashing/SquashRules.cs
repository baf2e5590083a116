namespace EfSafeMigrate.Squashing;

/// <summary>
/// Decides, for one database, which of the code's migrations apply where squashed migrations are
/// involved (the rules of Django's migration loader). For a squashed migration S replacing r1..rn:
/// <list type="bullet">
/// <item>S counts as applied when it has a history row, or when all of r1..rn are applied (a
/// synthetic row: nothing is written).</item>
/// <item>S applies (is visible) when it has a history row, when none of r1..rn is applied, or when
/// r1..rn are no longer all in the code (after <c>squash --finalize</c>); then r1..rn are hidden.
/// Otherwise (the database is inside the range, or at its end, while the code still has r1..rn) S
/// is hidden and r1..rn apply, each on its own: the database finishes the range with the original
/// migrations and S then counts as applied.</item>
/// <item>When the code no longer has r1..rn and some, not all, of them are applied, the database
/// cannot be brought forward: <see cref="PartiallyAppliedSquashException"/>.</item>
/// </list>
/// A squashed migration replaced by a later one is decided only when the later one is hidden.
/// Stateless and thread-safe.
/// </summary>
public static class SquashRules
{
    private enum State
    {
        NotApplied,
        Partial,
        AppliedBySyntheticRow,
        AppliedByRow,
    }

    /// <summary>Applies the rules to a database whose history holds <paramref name="appliedIds"/>.</summary>
    /// <param name="catalog">The squashed migrations of the code.</param>
    /// <param name="appliedIds">The ids in the history table (real rows only), in any order.</param>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside a finalized squash's range; names the squash, the applied and missing migrations, and the fix.</exception>
    public static SquashResolution Resolve(SquashCatalog catalog, IEnumerable<string> appliedIds)
    {
        if (catalog.IsEmpty)
        {
            return SquashResolution.None;
        }

        var applied = new HashSet<string>(appliedIds, StringComparer.OrdinalIgnoreCase);
        var states = new Dictionary<string, State>(StringComparer.OrdinalIgnoreCase);
        foreach (var squash in catalog.Squashes)
        {
            states[squash.Id] = applied.Contains(squash.Id) ? State.AppliedByRow : Combine(squash.ReplacedIds.Select(id => StateOf(id, states, applied)));
        }

        var hidden = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var squash in catalog.Squashes)
        {
            if (catalog.ReplacedBy(squash.Id) is null)
            {
                Decide(catalog, squash, states, applied, hidden, covered);
            }
        }

        var synthetic = catalog.Squashes.Where(s => states[s.Id] == State.AppliedBySyntheticRow).Select(s => s.Id).ToList();
        return new SquashResolution(hidden, synthetic, covered);
    }

    private static State StateOf(string id, Dictionary<string, State> states, HashSet<string> applied)
        => states.TryGetValue(id, out var state) ? state : applied.Contains(id) ? State.AppliedByRow : State.NotApplied;

    private static bool IsApplied(State state) => state is State.AppliedByRow or State.AppliedBySyntheticRow;

    private static State Combine(IEnumerable<State> replaced)
    {
        var list = replaced.ToList();
        return list.All(IsApplied) ? State.AppliedBySyntheticRow
            : list.All(s => s == State.NotApplied) ? State.NotApplied
            : State.Partial;
    }

    private static void Decide(
        SquashCatalog catalog,
        SquashedMigration squash,
        Dictionary<string, State> states,
        HashSet<string> applied,
        HashSet<string> hidden,
        HashSet<string> covered)
    {
        var state = states[squash.Id];
        var replacedInCode = catalog.AllReplacedInCode(squash);
        if (state == State.Partial && !replacedInCode)
        {
            throw new PartiallyAppliedSquashException(
                squash.Id,
                squash.ReplacedIds.Where(id => IsApplied(StateOf(id, states, applied))).ToList(),
                squash.ReplacedIds.Where(id => !IsApplied(StateOf(id, states, applied))).ToList(),
                squash.ReplacedIds.Where(id => !catalog.Contains(id)).ToList());
        }

        var visible = state == State.AppliedByRow || state == State.NotApplied || !replacedInCode;
        if (visible)
        {
            foreach (var id in catalog.ReplacedTransitively(squash))
            {
                if (catalog.Contains(id))
                {
                    hidden.Add(id);
                }

                if (IsApplied(state))
                {
                    covered.Add(id);
                }
            }

            return;
        }

        hidden.Add(squash.Id);
        foreach (var id in squash.ReplacedIds)
        {
            if (catalog.Find(id) is { } inner)
            {
                Decide(catalog, inner, states, applied, hidden, covered);
            }
        }
    }
}
