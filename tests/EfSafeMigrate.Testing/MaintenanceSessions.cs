using System.Collections.Concurrent;
using Npgsql;

namespace EfSafeMigrate.Testing;

/// <summary>
/// Pooled sessions to a server's maintenance database (<c>postgres</c>), for the tests' own statements there: CREATE and
/// DROP DATABASE, the catalog and <c>pg_stat_activity</c> queries. The tests create and drop hundreds of databases, and
/// a new session costs the server a fork and its start-up (measured with <c>pgbench -C</c>: 25 ms a connection on a
/// virtual machine whose page faults are slow). Idle sessions there do not matter to the tests, which look only at the
/// sessions of their own databases; connections to those stay unpooled, since the tool under test renames, replaces,
/// copies and drops them.
/// </summary>
/// <remarks>
/// One data source per connection string, of its own: <c>NpgsqlConnection.ClearAllPools</c>, which the in-process tool
/// runs call, does not close its sessions.
/// </remarks>
public static class MaintenanceSessions
{
    /// <summary>The database whose sessions are pooled.</summary>
    public const string Database = "postgres";

    private static readonly ConcurrentDictionary<string, NpgsqlDataSource> Pools = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="connectionString"/> names the maintenance database.</summary>
    public static bool IsMaintenance(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Database == Database;

    /// <summary>An open, pooled session on the connection string's server and database (whatever its Pooling setting).</summary>
    public static NpgsqlConnection Open(string connectionString) => Pool(connectionString).OpenConnection();

    /// <summary>Asynchronous form of <see cref="Open"/>.</summary>
    public static ValueTask<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken = default) =>
        Pool(connectionString).OpenConnectionAsync(cancellationToken);

    private static NpgsqlDataSource Pool(string connectionString) =>
        Pools.GetOrAdd(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = true }.ConnectionString, NpgsqlDataSource.Create);
}
