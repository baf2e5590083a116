using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Schema;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Schema;

/// <summary>
/// Throwaway databases on the PostgreSQL server of a connection string: <c>CREATE DATABASE</c>
/// (<c>TEMPLATE</c> for a copy) and <c>DROP DATABASE ... WITH (FORCE)</c> (PostgreSQL 13+) through
/// the maintenance database <c>postgres</c> (<c>template1</c> when there is none), with the same
/// user and password; the catalog read by <see cref="NpgsqlCatalogReader"/>. Every connection is
/// unpooled, so that a database can be copied or dropped right after it was used.
/// </summary>
internal sealed class NpgsqlScratchDatabaseServer : IScratchDatabaseServer
{
    private readonly PgConnectionInfo _connection;

    /// <summary>Uses the server (host, port, user, password, SSL settings) of <paramref name="connectionString"/>; its database is not touched.</summary>
    /// <exception cref="ArgumentException">The connection string is not a valid Npgsql connection string.</exception>
    public NpgsqlScratchDatabaseServer(string connectionString) => _connection = new PgConnectionInfo(connectionString);

    /// <inheritdoc />
    public string Describe() => $"{string.Join(",", _connection.Servers.Select(s => $"{s.Host}:{s.Port}"))} as user \"{_connection.Username}\"";

    /// <inheritdoc />
    public string Create(string name)
    {
        Maintenance($"CREATE DATABASE {Quote(name)}");
        return _connection.ConnectionStringFor(name, pooling: false);
    }

    /// <inheritdoc />
    public string Copy(string source, string name)
    {
        Maintenance($"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(source)}");
        return _connection.ConnectionStringFor(name, pooling: false);
    }

    /// <inheritdoc />
    public void Drop(string name) => Maintenance($"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)");

    /// <inheritdoc />
    public SchemaCatalog ReadCatalog(string connectionString, IReadOnlyCollection<string> ignoredTables)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return NpgsqlCatalogReader.Read(connection, ignoredTables);
    }

    /// <inheritdoc />
    public SchemaCatalog ReadCatalog(System.Data.Common.DbConnection openConnection, IReadOnlyCollection<string> ignoredTables) =>
        NpgsqlCatalogReader.Read(
            openConnection as NpgsqlConnection
                ?? throw new ArgumentException($"An Npgsql connection is needed, not {openConnection.GetType().Name}.", nameof(openConnection)),
            ignoredTables);

    private void Maintenance(string sql)
    {
        Exception? last = null;
        foreach (var database in new[] { "postgres", "template1" })
        {
            NpgsqlConnection connection;
            try
            {
                connection = new NpgsqlConnection(_connection.ConnectionStringFor(database, pooling: false));
                connection.Open();
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                last = ex;
                continue; // no "postgres" database: try template1
            }

            using (connection)
            {
                using var command = new NpgsqlCommand(sql, connection);
                command.ExecuteNonQuery();
                return;
            }
        }

        throw last!;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
