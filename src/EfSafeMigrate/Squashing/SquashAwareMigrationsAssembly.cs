using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The provider's <see cref="IMigrationsAssembly"/> as the squash rules (<see cref="SquashRules"/>)
/// see it for this context's database: <see cref="Migrations"/> holds the migrations that apply to
/// the database — a squashed migration or the migrations it replaces, never both. EF Core's
/// migrator (<c>Database.Migrate()</c>, <c>dotnet ef database update</c>, migration bundles) reads
/// <see cref="Migrations"/> to choose what to apply and revert, so it applies exactly what the
/// rules decide. <see cref="ModelSnapshot"/>, <see cref="Assembly"/> and <see cref="CreateMigration"/>
/// pass through.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Migrations"/> is computed on each access from a fresh read of the history (through the
/// provider's own history repository), when the code has a squashed migration whose replaced
/// migrations are all still in the code; otherwise no read is needed and the code's migrations minus
/// the replaced ones are returned. It is not cached across reads on purpose: EF Core's migrator reads
/// <see cref="Migrations"/> once before it takes its migrations lock (to validate) and once after it
/// read the history inside its transaction (to plan), and the same context may call
/// <c>Migrate()</c> again after applying migrations; a cached view could be older than the history
/// the migrator plans against. The read costs one query on the small history table, and only
/// happens while a squash and the migrations it replaces are both in the code. Consecutive reads
/// that decide the same way return the same dictionary instance.
/// </para>
/// <para>
/// When there is no database to read (see <c>SquashResolver.ResolveFromDatabase</c>), the view is that of an
/// empty database: squashed migrations in, replaced ones out.
/// </para>
/// <para>Not thread-safe, like EF Core's scoped services.</para>
/// </remarks>
public sealed class SquashAwareMigrationsAssembly : IMigrationsAssembly
{
    private IReadOnlySet<string>? _lastHidden;
    private IReadOnlyDictionary<string, TypeInfo>? _lastView;

    /// <summary>Wraps a migrations assembly.</summary>
    /// <param name="inner">The provider's migrations assembly (not a decorated one).</param>
    /// <param name="innerHistory">The provider's history repository (not a decorated one), to read the history from.</param>
    /// <param name="connection">The context's connection, to tell a running migration from an idle context; null when unknown.</param>
    public SquashAwareMigrationsAssembly(IMigrationsAssembly inner, IHistoryRepository innerHistory, IRelationalConnection? connection)
        : this(new SquashResolver(inner, innerHistory, connection))
    {
    }

    internal SquashAwareMigrationsAssembly(SquashResolver resolver) => Resolver = resolver;

    /// <summary>The wrapped migrations assembly.</summary>
    public IMigrationsAssembly Inner => Resolver.InnerAssembly;

    internal SquashResolver Resolver { get; }

    /// <summary>
    /// The migrations that apply to the context's database, by id, oldest first (the wrapped
    /// assembly's order).
    /// </summary>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule (see <see cref="SquashCatalog"/>).</exception>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a squash whose replaced migrations are no longer in the code.</exception>
    public IReadOnlyDictionary<string, TypeInfo> Migrations
    {
        get
        {
            if (Resolver.Catalog.IsEmpty)
            {
                return Inner.Migrations;
            }

            return View(Resolver.ResolveFromDatabase());
        }
    }

    /// <inheritdoc />
    public ModelSnapshot? ModelSnapshot => Inner.ModelSnapshot;

    /// <inheritdoc />
    public Assembly Assembly => Inner.Assembly;

    /// <summary>
    /// Finds a migration's id from its id or name, as the wrapped assembly does (EF Core resolves
    /// the target of <c>Migrate(target)</c>, <c>database update TARGET</c> and the start of
    /// <c>migrations script FROM</c> through it). A migration that does not apply to this database
    /// is refused rather than returned: EF Core would otherwise plan against a target outside
    /// <see cref="Migrations"/> and stop short of it, or revert past it.
    /// </summary>
    /// <returns>The id, or null when no migration of the code has that id or name.</returns>
    /// <exception cref="SquashedAwayMigrationException">The migration does not apply to this database; the message names the one to use instead.</exception>
    public string? FindMigrationId(string nameOrId)
    {
        var id = Inner.FindMigrationId(nameOrId);
        var catalog = Resolver.Catalog;
        if (id is null || catalog.IsEmpty || (catalog.Find(id) is null && catalog.ReplacedBy(id) is null))
        {
            return id;
        }

        var resolution = Resolver.ResolveFromDatabase();
        if (resolution.IsVisible(id))
        {
            return id;
        }

        throw HiddenMigration(catalog, resolution, id);
    }

    /// <inheritdoc />
    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider) => Inner.CreateMigration(migrationClass, activeProvider);

    /// <summary>The wrapped assembly's migrations that the resolution keeps, in the wrapped assembly's order.</summary>
    internal IReadOnlyDictionary<string, TypeInfo> View(SquashResolution resolution)
    {
        if (resolution.Hidden.Count == 0)
        {
            return Inner.Migrations;
        }

        if (_lastView is not null && _lastHidden!.SetEquals(resolution.Hidden))
        {
            return _lastView;
        }

        var view = new OrderedDictionary<string, TypeInfo>();
        foreach (var (id, type) in Inner.Migrations)
        {
            if (resolution.IsVisible(id))
            {
                view.Add(id, type);
            }
        }

        _lastHidden = resolution.Hidden;
        _lastView = view;
        return view;
    }

    /// <summary>The exception for a migration the resolution hides: names the squashed migration that applies instead, or the squash that does not apply.</summary>
    internal static SquashedAwayMigrationException HiddenMigration(SquashCatalog catalog, SquashResolution resolution, string id)
    {
        for (var parent = catalog.ReplacedBy(id); parent is not null; parent = catalog.ReplacedBy(parent))
        {
            if (resolution.IsVisible(parent))
            {
                return new SquashedAwayMigrationException(id, catalog.Find(parent)!);
            }
        }

        return new SquashedAwayMigrationException(id, catalog.Find(id)!);
    }
}
