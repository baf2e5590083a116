using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// The unpooled connections the backup code opens itself: to the database (server version, the migration
/// lock) and to the maintenance database <c>postgres</c> (<c>template1</c> when the target is <c>postgres</c>
/// itself or <c>postgres</c> does not exist) for CREATE/ALTER/DROP DATABASE, which cannot run while connected
/// to the database concerned. Failures become <see cref="BackupException"/>s that name the connection
/// (<see cref="PgConnectionInfo.Describe"/>), never its password.
/// </summary>
internal static class PgServerConnections
{
    private const string InvalidCatalogName = "3D000";

    /// <summary>An open unpooled connection to the maintenance database, avoiding <paramref name="avoid"/> and the connection's own database.</summary>
    /// <exception cref="BackupException">The server cannot be reached.</exception>
    public static async Task<NpgsqlConnection> OpenMaintenanceAsync(PgConnectionInfo connection, string avoid)
    {
        var candidates = new[] { "postgres", "template1" }
            .Where(d => !string.Equals(d, avoid, StringComparison.Ordinal) && !string.Equals(d, connection.Database, StringComparison.Ordinal))
            .DefaultIfEmpty("postgres")
            .ToList();
        for (var i = 0; ; i++)
        {
            try
            {
                return await OpenAsync(connection, candidates[i], rethrowMissing: i + 1 < candidates.Count).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == InvalidCatalogName && i + 1 < candidates.Count)
            {
                // No "postgres" database: use template1.
            }
        }
    }

    /// <summary>An open unpooled connection to <paramref name="database"/> on <paramref name="connection"/>'s server.</summary>
    /// <exception cref="BackupException">The server or the database cannot be reached.</exception>
    /// <exception cref="PostgresException">With <paramref name="rethrowMissing"/>: the database does not exist (3D000).</exception>
    public static async Task<NpgsqlConnection> OpenAsync(PgConnectionInfo connection, string database, bool rethrowMissing = false, CancellationToken cancellationToken = default)
    {
        var open = new NpgsqlConnection(connection.ConnectionStringFor(database, pooling: false));
        try
        {
            await open.OpenAsync(cancellationToken).ConfigureAwait(false);
            return open;
        }
        catch (PostgresException ex) when (rethrowMissing && ex.SqlState == InvalidCatalogName)
        {
            await open.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await open.DisposeAsync().ConfigureAwait(false);
            var where = string.Equals(database, connection.Database, StringComparison.Ordinal)
                ? connection.Describe()
                : $"{connection.Describe()} (maintenance database \"{database}\")";
            throw new BackupException($"Cannot connect to {where}: {ex.Message}", ex);
        }
        catch
        {
            await open.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Best-effort SQL during cleanup; errors are swallowed because a more important one is being reported.</summary>
    public static async Task TryExecuteAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            await PgSql.ExecuteAsync(connection, sql, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Reported by the caller's exception.
        }
    }
}
