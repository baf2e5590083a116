using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// Decides what <c>squash --finalize</c> deletes and whether a database allows it (Django's step after
/// <c>squashmigrations</c>: delete the replaced migrations once every database is past them).
/// <list type="bullet">
/// <item>A squash can be finalized while some migration it replaces (directly, or through a squashed
/// migration it replaces) is still in the code; those are the migrations whose files are deleted.</item>
/// <item>A database is checked with the runtime's own rules (<see cref="SquashRules"/>) applied to the code
/// as it will be once the replaced migrations are gone: when the rules would refuse the database
/// (<see cref="PartiallyAppliedSquashException"/>: some, not all, of the replaced migrations are applied
/// and the squashed migration is not), the database is inside the range and finalizing is refused.
/// A database before the range will run the squashed migration; one after it counts it as applied.</item>
/// </list>
/// Nothing is deleted here. Immutable once created.
/// </summary>
public sealed class SquashFinalizer
{
    private readonly IMigrationsAssembly _code;
    private readonly SquashCatalog _catalog;

    /// <summary>Reads the squashed migrations of the code.</summary>
    /// <param name="code">EF Core's migrations assembly with every migration of the code (<see cref="CodeMigrations"/>).</param>
    /// <exception cref="InvalidOperationException">A squashed migration's <c>[Replaces]</c> breaks a rule of <see cref="SquashCatalog"/>.</exception>
    public SquashFinalizer(IMigrationsAssembly code)
    {
        _code = code;
        _catalog = SquashCatalog.FromMigrations(code.Migrations);
    }

    /// <summary>The squashed migrations of the code, oldest first.</summary>
    public IReadOnlyList<SquashedMigration> Squashes => _catalog.Squashes;

    /// <summary>
    /// The squashes to finalize: the one named (id or name), or, when <paramref name="squash"/> is null,
    /// every squashed migration some of whose replaced migrations are still in the code. A named squash
    /// that is already finalized (none of them is left) gives an empty list.
    /// </summary>
    /// <param name="squash">The squashed migration's id or name, or null for all.</param>
    /// <exception cref="SquashRefusedException">The named migration does not exist or is not a squashed migration (<see cref="SquashRefusalKind.Usage"/>).</exception>
    public IReadOnlyList<SquashFinalization> Select(string? squash)
    {
        if (squash is null)
        {
            return _catalog.Squashes.Select(For).Where(f => f.DeletedIds.Count > 0).ToList();
        }

        var id = _code.FindMigrationId(squash) ?? throw new SquashRefusedException(SquashRefusalKind.Usage,
            $"The migration '{squash}' was not found in the project's migrations. {ListSquashes()}");
        var found = _catalog.Find(id) ?? throw new SquashRefusedException(SquashRefusalKind.Usage,
            $"The migration '{id}' is not a squashed migration (it has no [Replaces] attribute), so there is nothing to finalize. {ListSquashes()}");
        var finalization = For(found);
        return finalization.DeletedIds.Count > 0 ? [finalization] : [];
    }

    /// <summary>
    /// Where a database with these history rows stands relative to each squash's range, judged by the
    /// runtime's rules on the code without the migrations finalizing deletes.
    /// </summary>
    /// <param name="finalizations">The squashes to finalize (from <see cref="Select"/>).</param>
    /// <param name="historyIds">The ids in the database's history table, as stored (<see cref="DatabaseHistory.ReadIds"/>).</param>
    /// <returns>One check per squash, in the order given.</returns>
    /// <exception cref="PartiallyAppliedSquashException">The database is already inside the range of another squash, finalized before: the code refuses it now.</exception>
    public IReadOnlyList<DatabaseRangeCheck> Check(IReadOnlyList<SquashFinalization> finalizations, IReadOnlyCollection<string> historyIds)
    {
        var checks = new List<DatabaseRangeCheck>();
        foreach (var finalization in finalizations)
        {
            var deleted = new HashSet<string>(finalization.DeletedIds, StringComparer.OrdinalIgnoreCase);
            var finalized = new SquashCatalog(_catalog.MigrationIds.Where(id => !deleted.Contains(id)), _catalog.Squashes);
            try
            {
                var resolution = SquashRules.Resolve(finalized, historyIds);
                var position = historyIds.Contains(finalization.Id, StringComparer.OrdinalIgnoreCase) ? SquashRangePosition.SquashApplied
                    : resolution.CountedAsApplied.Contains(finalization.Id, StringComparer.OrdinalIgnoreCase) ? SquashRangePosition.After
                    : SquashRangePosition.Before;
                checks.Add(new DatabaseRangeCheck(finalization, position, [], []));
            }
            catch (PartiallyAppliedSquashException ex) when (string.Equals(ex.SquashedMigrationId, finalization.Id, StringComparison.OrdinalIgnoreCase))
            {
                checks.Add(new DatabaseRangeCheck(finalization, SquashRangePosition.Inside, ex.AppliedIds, ex.NotAppliedIds));
            }
        }

        return checks;
    }

    private SquashFinalization For(SquashedMigration squash)
        => new(squash, _catalog.ReplacedTransitively(squash).Where(_catalog.Contains).ToList());

    private string ListSquashes()
        => _catalog.IsEmpty
            ? "The project has no squashed migration; 'dotnet safe-migrate squash <FROM> <TO>' writes one."
            : $"Give the id or name of a squashed migration: {string.Join(", ", _catalog.Squashes.Select(s => s.Id))}.";
}
