using System.Data;
using System.Globalization;
using EfSafeMigrate.Locking;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Locking;

/// <summary>
/// <see cref="ILockContention"/> on PostgreSQL. The lock timeout is the session's <c>lock_timeout</c>
/// (<c>SET lock_timeout = '5000ms'</c> on the migrating connection, outside EF Core's per-migration
/// transaction, so it holds for every statement of the migration; the previous value is put back
/// afterwards). A statement that waits longer fails with SQLSTATE <c>55P03</c> (lock_not_available),
/// and PostgreSQL rolls back the whole transaction. Blockers are read, from a second connection,
/// with <c>pg_blocking_pids(pid)</c> (the sessions that hold, or wait ahead for, a lock the
/// migrating session waits for) joined to <c>pg_stat_activity</c>; the SQL that would end each is
/// <c>SELECT pg_terminate_backend(pid)</c> — reported, never run.
/// </summary>
internal sealed class PgLockContention : ILockContention
{
    /// <summary>PostgreSQL's SQLSTATE for lock_not_available.</summary>
    public const string LockNotAvailable = "55P03";

    private readonly NpgsqlConnection _connection;
    private readonly string _watchConnectionString;

    /// <summary>Creates it for the migrating connection.</summary>
    /// <param name="connection">The connection the migrations run on (opened by the runner before use).</param>
    /// <param name="connectionString">Its connection string (with password), for the watching connection.</param>
    public PgLockContention(NpgsqlConnection connection, string connectionString)
    {
        _connection = connection;
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 };
        builder.ApplicationName = Truncate((builder.ApplicationName ?? "dotnet-safe-migrate") + " (lock watch)", 63);
        _watchConnectionString = builder.ConnectionString;
    }

    /// <inheritdoc />
    public async Task<IAsyncDisposable> SetLockTimeoutAsync(TimeSpan lockTimeout, CancellationToken cancellationToken = default)
    {
        if (_connection.State != ConnectionState.Open)
        {
            throw new InvalidOperationException("The migrating connection must be open before its lock timeout is set.");
        }

        string previous;
        await using (var read = new NpgsqlCommand("SELECT current_setting('lock_timeout')", _connection))
        {
            previous = (string)(await read.ExecuteScalarAsync(cancellationToken))!;
        }

        await SetAsync(_connection, ((long)lockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms", cancellationToken);
        return new Restore(_connection, previous);
    }

    /// <inheritdoc />
    public bool IsLockNotAvailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: LockNotAvailable })
            {
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc />
    public IBlockerWatch Watch(TimeSpan interval) => new BlockerWatch(_connection.State == ConnectionState.Open ? _connection.ProcessID : 0, _watchConnectionString, interval);

    private static async Task SetAsync(NpgsqlConnection connection, string value, CancellationToken cancellationToken)
    {
        // set_config is SET with a parameter; false: for the session, not only the transaction.
        await using var command = new NpgsqlCommand("SELECT set_config('lock_timeout', @value, false)", connection);
        command.Parameters.AddWithValue("value", value);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private sealed class Restore(NpgsqlConnection connection, string previous) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (connection.State != ConnectionState.Open)
            {
                return; // the session is gone, and its setting with it
            }

            try
            {
                await SetAsync(connection, previous, CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // A broken session keeps nothing; the next use of the connection fails on its own.
            }
        }
    }

    private sealed class BlockerWatch : IBlockerWatch
    {
        private const string Sql = """
            SELECT a.pid, a.usename::text, nullif(a.application_name, ''), a.state,
                   extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start))::float8,
                   left(regexp_replace(a.query, '\s+', ' ', 'g'), 200),
                   (SELECT string_agg(format('%s on %s', l.mode, coalesce(l.relation::regclass::text, l.locktype)), ', ')
                    FROM pg_locks l WHERE l.pid = @pid AND NOT l.granted)
            FROM pg_stat_activity a
            WHERE a.pid = ANY (pg_blocking_pids(@pid))
            ORDER BY a.pid
            """;

        private readonly int _pid;
        private readonly string _connectionString;
        private readonly TimeSpan _interval;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private volatile IReadOnlyList<BlockingSession> _blockers = [];
        private volatile string? _waitingFor;
        private int _disposed;

        public BlockerWatch(int pid, string connectionString, TimeSpan interval)
        {
            _pid = pid;
            _connectionString = connectionString;
            _interval = interval;
            _loop = pid == 0 ? Task.CompletedTask : Task.Run(() => RunAsync(_stop.Token));
        }

        public IReadOnlyList<BlockingSession> Blockers => _blockers;

        public string? WaitingFor => _waitingFor;

        private async Task RunAsync(CancellationToken stop)
        {
            try
            {
                await Task.Delay(_interval, stop);
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stop);
                while (!stop.IsCancellationRequested)
                {
                    await SampleAsync(connection, stop);
                    await Task.Delay(_interval, stop);
                }
            }
            catch (Exception)
            {
                // Stopped, or the watch could not connect or read: the report then names no blocker.
            }
        }

        private async Task SampleAsync(NpgsqlConnection connection, CancellationToken stop)
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.AddWithValue("pid", _pid);
            var found = new List<BlockingSession>();
            string? waitingFor = null;
            await using (var reader = await command.ExecuteReaderAsync(stop))
            {
                while (await reader.ReadAsync(stop))
                {
                    var pid = reader.GetInt32(0);
                    found.Add(new BlockingSession(
                        pid,
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        reader.IsDBNull(2) ? null : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? null : TimeSpan.FromSeconds(reader.GetDouble(4)),
                        reader.IsDBNull(5) ? null : reader.GetString(5),
                        $"SELECT pg_terminate_backend({pid.ToString(CultureInfo.InvariantCulture)});"));
                    waitingFor ??= reader.IsDBNull(6) ? null : reader.GetString(6);
                }
            }

            if (found.Count > 0)
            {
                _waitingFor = waitingFor;
                _blockers = found;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 1)
            {
                return;
            }

            _stop.Cancel();
            try
            {
                await _loop;
            }
            catch (Exception)
            {
                // The loop ends on its own errors.
            }

            _stop.Dispose();
        }
    }
}
