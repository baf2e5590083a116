namespace EfSafeMigrate.Squashing;

/// <summary>
/// The squash rules (<see cref="SquashRules"/>) as SQL conditions on the history table, for the guards
/// of idempotent scripts; the SQL pieces come from an <see cref="ISquashScriptGuards"/>. For a squashed
/// migration S replacing r1..rn:
/// <list type="bullet">
/// <item>S counts as applied: S has a row, or every ri counts as applied (a row, or, for a squashed
/// ri, the same rule again).</item>
/// <item>S is not started: none of S, r1..rn (and what a squashed ri replaces) has a row. Only then
/// do S's commands run when applying.</item>
/// <item>the database is part-way through S's range: some of those rows exist and S does not count as
/// applied. The script must stop.</item>
/// </list>
/// Stateless apart from its inputs; not thread-safe only because <see cref="ISquashScriptGuards"/> need not be.
/// </summary>
internal sealed class SquashScriptConditions
{
    private readonly SquashCatalog _catalog;
    private readonly ISquashScriptGuards _guards;

    public SquashScriptConditions(SquashCatalog catalog, ISquashScriptGuards guards)
    {
        _catalog = catalog;
        _guards = guards;
    }

    /// <summary>
    /// When a migration's commands run in a script that applies it: neither it, nor (for a squashed
    /// migration) anything it replaces, nor any squashed migration that replaces it has a row.
    /// </summary>
    public string ApplyCondition(string migrationId)
    {
        var ids = new List<string> { migrationId };
        if (_catalog.Find(migrationId) is { } squash)
        {
            ids.AddRange(_catalog.ReplacedTransitively(squash));
        }

        for (var parent = _catalog.ReplacedBy(migrationId); parent is not null; parent = _catalog.ReplacedBy(parent))
        {
            ids.Add(parent);
        }

        return "NOT " + _guards.AnyRowExists(ids);
    }

    /// <summary>When a squashed migration's commands run in a script that reverts it: it counts as applied.</summary>
    public string RevertCondition(SquashedMigration squash) => Applied(squash);

    /// <summary>The part-way check of a squashed migration, with its message.</summary>
    /// <param name="squash">The squashed migration.</param>
    /// <param name="atScriptStart">True for the check at the start of the script (nothing has run), false for the one in the squashed migration's own blocks.</param>
    public SquashRangeCheck RangeCheck(SquashedMigration squash, bool atScriptStart)
    {
        var replaced = _catalog.ReplacedTransitively(squash);
        var condition = $"{_guards.AnyRowExists(replaced)} AND NOT {Applied(squash)}";
        return new SquashRangeCheck(squash.Id, replaced, condition, SquashScriptMessages.PartiallyApplied(squash, atScriptStart));
    }

    private string Applied(SquashedMigration squash)
    {
        var parts = new List<string>();
        var plain = squash.ReplacedIds.Where(id => _catalog.Find(id) is null).ToList();
        if (plain.Count > 0)
        {
            parts.Add(_guards.AllRowsExist(plain));
        }

        parts.AddRange(squash.ReplacedIds.Select(_catalog.Find).OfType<SquashedMigration>().Select(Applied));
        var all = parts.Count == 1 ? parts[0] : $"({string.Join(" AND ", parts)})";
        return $"({_guards.AnyRowExists([squash.Id])} OR {all})";
    }
}
