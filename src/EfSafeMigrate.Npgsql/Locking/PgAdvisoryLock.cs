using System.Data;
using System.Diagnostics;
using EfSafeMigrate.Locking;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Locking;

/// <summary>
/// The migration lock as a PostgreSQL session-level advisory lock
/// (<c>pg_try_advisory_lock</c>) taken on the connection that runs the migrations. PostgreSQL
/// releases a session lock when the session ends, so a killed process never leaves it behind,
/// and because the migrations run on the same session, the lock is released only after the
/// server has rolled back a migration that was running. EF Core's own Npgsql migrations lock
/// (a table lock inside each migration's transaction) cannot cover the backup taken before.
/// Advisory locks are scoped to the current database.
/// </summary>
internal sealed class PgAdvisoryLock : IMigrationLock
{
    /// <summary>The advisory lock key, a fixed constant shared by every safe-migrate version (PostgreSQL reports it as classid 0x5AFE3164, objid 0x72617465).</summary>
    public const long Key = 0x5AFE_3164_7261_7465;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly NpgsqlConnection _connection;

    /// <summary>Creates the lock for an open connection (the one the migrations will run on).</summary>
    public PgAdvisoryLock(NpgsqlConnection connection) => _connection = connection;

    /// <inheritdoc />
    public async Task<IAsyncDisposable> AcquireAsync(TimeSpan timeout, Action<string> onWaiting, CancellationToken cancellationToken = default)
    {
        if (_connection.State != ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection must be open before the migration lock is taken.");
        }

        var watch = Stopwatch.StartNew();
        var reported = false;
        while (true)
        {
            if (await TryLockAsync(cancellationToken))
            {
                return new Release(_connection);
            }

            var holder = await DescribeHolderAsync(cancellationToken);
            if (watch.Elapsed >= timeout)
            {
                throw new MigrationLockTimeoutException(
                    $"Another migration run holds the migration lock on database \"{_connection.Database}\" ({holder}) " +
                    $"and did not release it within {timeout.TotalSeconds:0} s. Nothing was changed. " +
                    "Wait for it to finish and run the command again, or raise --lock-timeout.");
            }

            if (!reported)
            {
                onWaiting($"Waiting for the migration lock on database \"{_connection.Database}\": held by {holder} (up to {timeout.TotalSeconds:0} s, --lock-timeout).");
                reported = true;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    private async Task<bool> TryLockAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", _connection);
        command.Parameters.AddWithValue("key", Key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<string> DescribeHolderAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.pid, coalesce(nullif(a.application_name, ''), 'unknown application'), coalesce(host(a.client_addr), 'local socket'), a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = (@key >> 32)::int::oid AND l.objid = (@key & 4294967295)::bigint::oid AND l.objsubid = 1
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, _connection);
        command.Parameters.AddWithValue("key", Key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return "another session";
        }

        return $"server process {reader.GetInt32(0)} ({reader.GetString(1)} from {reader.GetString(2)}, connected {reader.GetDateTime(3):yyyy-MM-dd HH:mm:ss} UTC)";
    }

    private sealed class Release(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != ConnectionState.Open)
            {
                return; // the session is gone, and its lock with it
            }

            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteScalarAsync();
        }
    }
}
