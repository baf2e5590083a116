using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Runtime;

/// <summary>
/// The provider's <see cref="IHistoryRepository"/> (e.g. Npgsql's <c>NpgsqlHistoryRepository</c>)
/// with the squash rules (<see cref="SquashRules"/>) applied to what it reads:
/// <see cref="GetAppliedMigrations"/> returns the history table's rows plus a synthetic row for each
/// squashed migration whose replaced migrations are all applied (it counts as applied; nothing is
/// written), and refuses a database inside the range of a finalized squash
/// (<see cref="PartiallyAppliedSquashException"/>). <see cref="GetDeleteScript"/> of a squashed
/// migration also deletes the rows of the migrations it replaces, so that reverting a squashed
/// migration that counted as applied through those rows leaves no stale row behind. Everything
/// else — existence, creation, EF Core's migrations lock, insert and idempotency scripts — is the
/// wrapped repository's.
/// </summary>
/// <remarks>Not thread-safe, like EF Core's scoped services.</remarks>
public sealed class SquashAwareHistoryRepository : IHistoryRepository
{
    /// <summary>Wraps a history repository.</summary>
    /// <param name="inner">The provider's history repository (not a decorated one).</param>
    /// <param name="innerAssembly">The provider's migrations assembly (not a decorated one), to read the squashed migrations from.</param>
    /// <param name="connection">The context's connection; null when unknown.</param>
    public SquashAwareHistoryRepository(IHistoryRepository inner, IMigrationsAssembly innerAssembly, IRelationalConnection? connection)
        : this(new SquashResolver(innerAssembly, inner, connection))
    {
    }

    internal SquashAwareHistoryRepository(SquashResolver resolver) => Resolver = resolver;

    /// <summary>The wrapped history repository.</summary>
    public IHistoryRepository Inner => Resolver.InnerHistory;

    internal SquashResolver Resolver { get; }

    /// <inheritdoc />
    public LockReleaseBehavior LockReleaseBehavior => Inner.LockReleaseBehavior;

    /// <inheritdoc />
    public bool Exists() => Inner.Exists();

    /// <inheritdoc />
    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Inner.ExistsAsync(cancellationToken);

    /// <inheritdoc />
    public void Create() => Inner.Create();

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken = default) => Inner.CreateAsync(cancellationToken);

    /// <inheritdoc />
    public bool CreateIfNotExists() => Inner.CreateIfNotExists();

    /// <inheritdoc />
    public Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => Inner.CreateIfNotExistsAsync(cancellationToken);

    /// <inheritdoc />
    public IMigrationsDatabaseLock AcquireDatabaseLock() => Inner.AcquireDatabaseLock();

    /// <inheritdoc />
    public Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default) => Inner.AcquireDatabaseLockAsync(cancellationToken);

    /// <summary>
    /// The history table's rows, plus a synthetic row for each squashed migration that counts as
    /// applied (all the migrations it replaces are applied), ordered by migration id as the
    /// provider's query orders them. A synthetic row's product version is that of the newest row it
    /// stands for.
    /// </summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a squash whose replaced migrations are no longer in the code; nothing may run.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule (see <see cref="SquashCatalog"/>).</exception>
    public IReadOnlyList<HistoryRow> GetAppliedMigrations() => WithSquashes(Inner.GetAppliedMigrations());

    /// <summary>Asynchronous form of <see cref="GetAppliedMigrations"/>.</summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a squash whose replaced migrations are no longer in the code.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule.</exception>
    public async Task<IReadOnlyList<HistoryRow>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
        => WithSquashes(await Inner.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public string GetCreateScript() => Inner.GetCreateScript();

    /// <inheritdoc />
    public string GetCreateIfNotExistsScript() => Inner.GetCreateIfNotExistsScript();

    /// <inheritdoc />
    public string GetInsertScript(HistoryRow row) => Inner.GetInsertScript(row);

    /// <summary>
    /// The script that deletes a migration's history row (EF Core's migrator runs it when it reverts
    /// the migration). For a squashed migration it also deletes the rows of every migration it
    /// replaces: a database that got the replaced migrations one by one has their rows, not the
    /// squashed migration's, and reverting the squashed migration must leave neither.
    /// </summary>
    public string GetDeleteScript(string migrationId)
    {
        var script = Inner.GetDeleteScript(migrationId);
        if (Resolver.Catalog.Find(migrationId) is not { } squash)
        {
            return script;
        }

        var builder = new StringBuilder(script);
        foreach (var replaced in Resolver.Catalog.ReplacedTransitively(squash))
        {
            builder.Append(Inner.GetDeleteScript(replaced));
        }

        return builder.ToString();
    }

    /// <inheritdoc />
    public string GetBeginIfNotExistsScript(string migrationId) => Inner.GetBeginIfNotExistsScript(migrationId);

    /// <inheritdoc />
    public string GetBeginIfExistsScript(string migrationId) => Inner.GetBeginIfExistsScript(migrationId);

    /// <inheritdoc />
    public string GetEndIfScript() => Inner.GetEndIfScript();

    private IReadOnlyList<HistoryRow> WithSquashes(IReadOnlyList<HistoryRow> rows)
    {
        var catalog = Resolver.Catalog;
        if (catalog.IsEmpty)
        {
            return rows;
        }

        var resolution = Resolver.Resolve(rows.Select(r => r.MigrationId));
        if (resolution.CountedAsApplied.Count == 0)
        {
            return rows;
        }

        var byId = rows.ToDictionary(r => r.MigrationId, StringComparer.OrdinalIgnoreCase);
        var result = rows.ToList();
        foreach (var id in resolution.CountedAsApplied)
        {
            var newest = catalog.ReplacedTransitively(catalog.Find(id)!)
                .Select(byId.GetValueOrDefault)
                .LastOrDefault(r => r is not null);
            result.Add(new HistoryRow(id, newest?.ProductVersion ?? ProductInfo.GetVersion()));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.MigrationId, b.MigrationId));
        return result;
    }
}
