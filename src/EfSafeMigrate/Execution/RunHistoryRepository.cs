using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution;

/// <summary>
/// The history repository EF Core's migrator gets for each step of a run (<see cref="SafeMigrator"/>): the squash-aware one,
/// except that once the history table is known to exist in this run, <see cref="Exists()"/> says so and
/// <see cref="CreateIfNotExists()"/> does nothing, without asking the database again. EF Core's migrator asks both before every
/// migration (Npgsql: a <c>SELECT</c> from the table, then <c>CREATE TABLE IF NOT EXISTS</c> in a transaction of its own): a run
/// of one step per migration would pay those round trips for each. The table is known to exist after the first of these calls
/// that found or created it; the run holds the migration lock, and a table dropped meanwhile by hand makes the next migration's
/// own <c>LOCK TABLE</c> and history insert fail (it rolls back), never skip. <see cref="Forget"/> starts a new run's knowledge.
/// Everything else (lock, rows, scripts) is the inner repository's. Not thread-safe (one per migrator).
/// </summary>
internal sealed class RunHistoryRepository : IHistoryRepository
{
    private readonly IHistoryRepository _inner;
    private bool _exists;

    /// <summary>Wraps the repository the steps run with.</summary>
    public RunHistoryRepository(IHistoryRepository inner) => _inner = inner;

    /// <summary>Forgets that the table exists (a new run, which asks the database again).</summary>
    public void Forget() => _exists = false;

    /// <inheritdoc />
    public LockReleaseBehavior LockReleaseBehavior => _inner.LockReleaseBehavior;

    /// <inheritdoc />
    public bool Exists() => _exists || (_exists = _inner.Exists());

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
        => _exists || (_exists = await _inner.ExistsAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public void Create()
    {
        _inner.Create();
        _exists = true;
    }

    /// <inheritdoc />
    public async Task CreateAsync(CancellationToken cancellationToken = default)
    {
        await _inner.CreateAsync(cancellationToken).ConfigureAwait(false);
        _exists = true;
    }

    /// <inheritdoc />
    public bool CreateIfNotExists()
    {
        if (_exists)
        {
            return false;
        }

        var created = _inner.CreateIfNotExists();
        _exists = true;
        return created;
    }

    /// <inheritdoc />
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        if (_exists)
        {
            return false;
        }

        var created = await _inner.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        _exists = true;
        return created;
    }

    /// <inheritdoc />
    public IMigrationsDatabaseLock AcquireDatabaseLock() => _inner.AcquireDatabaseLock();

    /// <inheritdoc />
    public Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default) => _inner.AcquireDatabaseLockAsync(cancellationToken);

    /// <inheritdoc />
    public IReadOnlyList<HistoryRow> GetAppliedMigrations() => _inner.GetAppliedMigrations();

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryRow>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default) => _inner.GetAppliedMigrationsAsync(cancellationToken);

    /// <inheritdoc />
    public string GetCreateScript() => _inner.GetCreateScript();

    /// <inheritdoc />
    public string GetCreateIfNotExistsScript() => _inner.GetCreateIfNotExistsScript();

    /// <inheritdoc />
    public string GetInsertScript(HistoryRow row) => _inner.GetInsertScript(row);

    /// <inheritdoc />
    public string GetDeleteScript(string migrationId) => _inner.GetDeleteScript(migrationId);

    /// <inheritdoc />
    public string GetBeginIfNotExistsScript(string migrationId) => _inner.GetBeginIfNotExistsScript(migrationId);

    /// <inheritdoc />
    public string GetBeginIfExistsScript(string migrationId) => _inner.GetBeginIfExistsScript(migrationId);

    /// <inheritdoc />
    public string GetEndIfScript() => _inner.GetEndIfScript();
}
