using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The squash rules for one context's database (one per DbContext scope, like the EF Core services
/// it wraps): the code's <see cref="SquashCatalog"/>, read once from the provider's own migrations
/// assembly, and the history read through the provider's own (undecorated) history repository.
/// Nothing is cached between reads of the history: every <see cref="ResolveFromDatabase"/> reads the
/// history again, so a resolution never lags behind migrations applied in the meantime (by this
/// context's migrator, or by another process before EF Core's migrations lock was taken).
/// Not thread-safe (EF Core's scoped services are not either).
/// </summary>
internal sealed class SquashResolver
{
    private readonly IRelationalConnection? _connection;
    private SquashCatalog? _catalog;

    public SquashResolver(IMigrationsAssembly innerAssembly, IHistoryRepository innerHistory, IRelationalConnection? connection)
    {
        InnerAssembly = innerAssembly;
        InnerHistory = innerHistory;
        _connection = connection;
    }

    /// <summary>The provider's migrations assembly, undecorated.</summary>
    public IMigrationsAssembly InnerAssembly { get; }

    /// <summary>The provider's history repository, undecorated.</summary>
    public IHistoryRepository InnerHistory { get; }

    /// <summary>The squashed migrations of the code (read from the inner migrations assembly on first use).</summary>
    /// <exception cref="InvalidOperationException">A squashed migration breaks a rule of <see cref="SquashCatalog"/>.</exception>
    public SquashCatalog Catalog => _catalog ??= SquashCatalog.FromMigrations(InnerAssembly.Migrations);

    /// <summary>Applies the rules to the given history rows.</summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside a finalized squash's range.</exception>
    public SquashResolution Resolve(IEnumerable<string> appliedIds) => SquashRules.Resolve(Catalog, appliedIds);

    /// <summary>
    /// Applies the rules to the database's current history. The history is read only when the
    /// visible migrations depend on it (<see cref="SquashCatalog.DependsOnHistory"/>); otherwise the
    /// rules run on an empty history, which gives the same visible migrations for every database.
    /// When the history cannot be read because there is no database to read it from — no connection
    /// is configured, the server cannot be reached, or the database does not exist — while no
    /// migration is running (the connection is closed and no transaction is active), the rules run on
    /// an empty history too, as Django's loader does without a connection: the squashed migrations
    /// apply and the migrations they replace do not. That keeps the code-only uses of the migrations
    /// assembly (<c>dotnet ef migrations add</c>, <c>migrations script</c>, <c>safe-migrate check
    /// --build</c>) working offline. Whatever changes the database reads the history itself first,
    /// on an open connection (EF Core's migrator does, inside its transaction), so it never acts on
    /// this fallback.
    /// </summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside a finalized squash's range.</exception>
    public SquashResolution ResolveFromDatabase()
    {
        var catalog = Catalog;
        if (catalog.IsEmpty)
        {
            return SquashResolution.None;
        }

        return SquashRules.Resolve(catalog, catalog.DependsOnHistory ? ReadAppliedIds() : []);
    }

    private IReadOnlyList<string> ReadAppliedIds()
    {
        bool idle;
        try
        {
            idle = _connection is null || (_connection.CurrentTransaction is null && _connection.DbConnection.State == ConnectionState.Closed);
        }
        catch (InvalidOperationException)
        {
            return []; // no connection or connection string configured: there is no database to read
        }

        try
        {
            return InnerHistory.GetAppliedMigrations().Select(r => r.MigrationId).ToList();
        }
        catch (Exception ex) when (idle && ex is DbException or InvalidOperationException or TimeoutException)
        {
            return [];
        }
    }
}
