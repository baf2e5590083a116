using System.Collections.Concurrent;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Rehearsal;

/// <summary>One lock a migration held or waited for, as <see cref="PgLockSampler"/> saw it in <c>pg_locks</c>.</summary>
/// <param name="Relation">The table, <c>schema.table</c>.</param>
/// <param name="Mode">PostgreSQL's lock mode, e.g. <c>AccessExclusiveLock</c>.</param>
/// <param name="WaitedMs">The longest wait seen for it in milliseconds (<c>now() - pg_locks.waitstart</c> while not granted); 0 when it was always granted when seen.</param>
internal sealed record SampledLock(string Relation, string Mode, double WaitedMs);

/// <summary>
/// Samples <c>pg_locks</c> of one database from a connection of its own, every few milliseconds, while a migration runs on
/// another connection: the table locks (relations of kind <c>r</c>/<c>p</c>/<c>m</c> outside <c>pg_catalog</c>) held or awaited
/// by every other session on that database, with the longest wait seen (<c>pg_locks.waitstart</c>, PostgreSQL 14+; older
/// servers count the time between samples). Meant for a scratch copy nobody else uses, so every lock seen is the migration's.
/// A lock held for less time than the interval may be missed: migration DDL keeps its locks until its transaction commits,
/// so a step's locks are seen unless the whole step is shorter than the interval. Dispose to stop.
/// </summary>
internal sealed class PgLockSampler : IAsyncDisposable
{
    private const string Sql = """
        SELECT n.nspname || '.' || c.relname, l.mode, l.granted,
               CASE WHEN l.granted THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - l.waitstart) * 1000, 0) END::float8
        FROM pg_locks l
        JOIN pg_class c ON c.oid = l.relation
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE l.locktype = 'relation' AND l.pid <> pg_backend_pid()
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'pg_catalog'
        """;

    private readonly NpgsqlConnection _connection;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<(string Relation, string Mode), double> _seen = new();
    private Task? _loop;

    private PgLockSampler(NpgsqlConnection connection, TimeSpan interval)
    {
        _connection = connection;
        _interval = interval;
    }

    /// <summary>Connects to the database of <paramref name="connectionString"/> and starts sampling.</summary>
    /// <param name="connectionString">The database to watch (its own connection is opened, unpooled).</param>
    /// <param name="interval">Time between samples (e.g. 5 ms).</param>
    /// <exception cref="NpgsqlException">The connection failed.</exception>
    public static async Task<PgLockSampler> StartAsync(string connectionString, TimeSpan interval)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, ApplicationName = "dotnet-safe-migrate rehearse (lock sampler)" };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        var sampler = new PgLockSampler(connection, interval);
        sampler._loop = Task.Run(sampler.LoopAsync);
        return sampler;
    }

    /// <summary>The locks seen since the last call (or the start), by table then mode; clears them.</summary>
    public IReadOnlyList<SampledLock> TakeAndReset()
    {
        var taken = _seen.ToArray();
        foreach (var pair in taken)
        {
            _seen.TryRemove(pair.Key, out _);
        }

        return taken.Select(p => new SampledLock(p.Key.Relation, p.Key.Mode, p.Value))
            .OrderBy(l => l.Relation, StringComparer.Ordinal).ThenBy(l => l.Mode, StringComparer.Ordinal).ToList();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using (var command = new NpgsqlCommand(Sql, _connection))
                await using (var reader = await command.ExecuteReaderAsync(_stop.Token))
                {
                    while (await reader.ReadAsync(_stop.Token))
                    {
                        var key = (reader.GetString(0), reader.GetString(1));
                        var waited = reader.GetDouble(3);
                        _seen.AddOrUpdate(key, waited, (_, old) => Math.Max(old, waited));
                    }
                }

                await Task.Delay(_interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (NpgsqlException) when (!_stop.IsCancellationRequested)
            {
                return; // the copy went away; what was seen stays
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (Exception)
            {
                // sampling is best effort
            }
        }

        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}
