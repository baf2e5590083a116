using System.Reflection;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The squashed migrations a project's code declares (migration classes with
/// <see cref="ReplacesAttribute"/>) and the migrations of the code, checked once when created: a
/// squashed migration must replace a non-empty list of distinct ids, oldest first, that all sort
/// before its own id (EF Core orders migrations by id, so the squashed migration must come right
/// after the range it replaces); no migration of the code may sort inside a range without being part
/// of it; and a migration may be replaced by one squashed migration only. A squashed migration may
/// itself be replaced by a later one (a squash of a squash). Ids are ordered ordinally (as the squash
/// command names squashed migrations) and matched ignoring case, as EF Core's migrator matches
/// history rows with migration ids.
/// Immutable and thread-safe.
/// </summary>
public sealed class SquashCatalog
{
    private readonly HashSet<string> _code;
    private readonly Dictionary<string, SquashedMigration> _squashes;
    private readonly Dictionary<string, string> _replacedBy;
    private readonly Dictionary<string, IReadOnlyList<string>> _transitive;

    /// <summary>Creates a catalog and checks it (see the class remarks).</summary>
    /// <param name="migrationIds">The ids of every migration in the code, squashed ones included, oldest first.</param>
    /// <param name="squashes">The squashed migrations among them.</param>
    /// <exception cref="ArgumentException">A squashed migration is not one of <paramref name="migrationIds"/>.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration breaks a rule; the message names it, the rule and the fix.</exception>
    public SquashCatalog(IEnumerable<string> migrationIds, IEnumerable<SquashedMigration> squashes)
    {
        MigrationIds = migrationIds.ToList();
        _code = new HashSet<string>(MigrationIds, StringComparer.OrdinalIgnoreCase);
        Squashes = squashes.OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        _squashes = new Dictionary<string, SquashedMigration>(StringComparer.OrdinalIgnoreCase);
        _replacedBy = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        _transitive = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var squash in Squashes)
        {
            if (!_code.Contains(squash.Id))
            {
                throw new ArgumentException($"The squashed migration '{squash.Id}' is not one of the migrations of the code.", nameof(squashes));
            }

            CheckReplacedIds(squash);
            _squashes.Add(squash.Id, squash);
        }

        // Ascending order: a squashed migration that is replaced by a later one is seen first, so the
        // later one's transitive list can include it.
        foreach (var squash in Squashes)
        {
            foreach (var replaced in squash.ReplacedIds)
            {
                if (_replacedBy.TryGetValue(replaced, out var other))
                {
                    throw new InvalidOperationException(
                        $"The migration '{replaced}' is replaced by two squashed migrations, '{other}' and '{squash.Id}'. " +
                        $"A migration can be replaced by one squashed migration only: remove it from the [Replaces] attribute of one of them " +
                        $"(a later squash may replace the earlier squashed migration itself instead).");
                }

                _replacedBy.Add(replaced, squash.Id);
            }

            _transitive.Add(squash.Id, Expand(squash));
        }

        foreach (var squash in Squashes)
        {
            CheckContiguous(squash);
        }
    }

    /// <summary>A catalog of code without squashed migrations.</summary>
    public static SquashCatalog Empty { get; } = new([], []);

    /// <summary>
    /// Reads the squashed migrations of a migrations assembly's migrations
    /// (<see cref="Microsoft.EntityFrameworkCore.Migrations.IMigrationsAssembly.Migrations"/>: id → class,
    /// already filtered by EF Core to the context's migrations) from their <see cref="ReplacesAttribute"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">A squashed migration breaks a rule (see the class remarks).</exception>
    public static SquashCatalog FromMigrations(IReadOnlyDictionary<string, TypeInfo> migrations)
    {
        var squashes = new List<SquashedMigration>();
        foreach (var (id, type) in migrations)
        {
            if (ReplacesAttributeLookup.ReplacedIds(type) is { } replaced)
            {
                squashes.Add(new SquashedMigration(id, replaced));
            }
        }

        return new SquashCatalog(migrations.Keys, squashes);
    }

    /// <summary>The ids of every migration in the code, oldest first.</summary>
    public IReadOnlyList<string> MigrationIds { get; }

    /// <summary>The squashed migrations of the code, by id (oldest first).</summary>
    public IReadOnlyList<SquashedMigration> Squashes { get; }

    /// <summary>True when the code has no squashed migration: every rule is then a no-op.</summary>
    public bool IsEmpty => Squashes.Count == 0;

    /// <summary>
    /// True when which migrations apply depends on the database's history: some squashed migration
    /// still has all the migrations it replaces in the code (before <c>squash --finalize</c>). When
    /// false, the visible migrations are the same for every database, and only the history rows
    /// (synthetic rows, the partially-applied check) need the database.
    /// </summary>
    public bool DependsOnHistory => Squashes.Any(AllReplacedInCode);

    /// <summary>True when the code has a migration with this id.</summary>
    public bool Contains(string migrationId) => _code.Contains(migrationId);

    /// <summary>The squashed migration with this id, or null when the id is not a squashed migration of the code.</summary>
    public SquashedMigration? Find(string migrationId) => _squashes.GetValueOrDefault(migrationId);

    /// <summary>The id of the squashed migration whose <see cref="ReplacesAttribute"/> lists this id, or null.</summary>
    public string? ReplacedBy(string migrationId) => _replacedBy.GetValueOrDefault(migrationId);

    /// <summary>True when every migration the squashed migration replaces is still in the code (the squash is not finalized).</summary>
    public bool AllReplacedInCode(SquashedMigration squash) => squash.ReplacedIds.All(_code.Contains);

    /// <summary>
    /// Every id the squashed migration replaces, directly or through a squashed migration it replaces,
    /// oldest first (a replaced squashed migration comes right after the ids it replaces).
    /// </summary>
    public IReadOnlyList<string> ReplacedTransitively(SquashedMigration squash) => _transitive[squash.Id];

    private List<string> Expand(SquashedMigration squash)
    {
        var all = new List<string>();
        foreach (var replaced in squash.ReplacedIds)
        {
            if (_transitive.TryGetValue(replaced, out var inner))
            {
                all.AddRange(inner);
            }

            all.Add(replaced);
        }

        return all;
    }

    private static void CheckReplacedIds(SquashedMigration squash)
    {
        if (squash.ReplacedIds.Count == 0)
        {
            throw new InvalidOperationException(
                $"The squashed migration '{squash.Id}' has an empty [Replaces] attribute. List the ids of the migrations it replaces, oldest first.");
        }

        for (var i = 0; i < squash.ReplacedIds.Count; i++)
        {
            var replaced = squash.ReplacedIds[i];
            if (string.IsNullOrWhiteSpace(replaced))
            {
                throw new InvalidOperationException($"The [Replaces] attribute of the squashed migration '{squash.Id}' has an empty id at position {i + 1}.");
            }

            if (string.CompareOrdinal(replaced, squash.Id) >= 0)
            {
                throw new InvalidOperationException(
                    $"The squashed migration '{squash.Id}' replaces '{replaced}', whose id does not sort before its own. EF Core orders migrations by id, " +
                    $"so a squashed migration's id must sort right after the last migration it replaces (the same timestamp, another name) and before " +
                    $"the next one. Change the id in its [Migration] attribute, or fix its [Replaces] attribute.");
            }

            if (i > 0 && string.CompareOrdinal(squash.ReplacedIds[i - 1], replaced) >= 0)
            {
                throw new InvalidOperationException(
                    $"The [Replaces] attribute of the squashed migration '{squash.Id}' lists '{squash.ReplacedIds[i - 1]}' before '{replaced}': " +
                    $"list the replaced ids once each, oldest first.");
            }
        }
    }

    private void CheckContiguous(SquashedMigration squash)
    {
        var range = new HashSet<string>(_transitive[squash.Id], StringComparer.OrdinalIgnoreCase);
        var first = _transitive[squash.Id][0];
        foreach (var id in MigrationIds)
        {
            if (range.Contains(id) || string.Equals(id, squash.Id, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (string.CompareOrdinal(id, first) > 0 && string.CompareOrdinal(id, squash.Id) < 0)
            {
                throw new InvalidOperationException(
                    $"The migration '{id}' sorts inside the range replaced by the squashed migration '{squash.Id}' ({first}..{squash.Id}) " +
                    $"but is not one of the migrations it replaces: a database that gets the squashed migration would run '{id}' before it, " +
                    $"against a schema the replaced migrations have not built yet. Squash again including '{id}', or give '{id}' an id that sorts after '{squash.Id}'.");
            }
        }
    }
}
