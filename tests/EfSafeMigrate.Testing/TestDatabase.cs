using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EfSafeMigrate.Testing;

/// <summary>
/// A new, empty database on <see cref="PostgresServer.Instance"/>, named <c>t_&lt;hint&gt;_&lt;8 random hex digits&gt;</c>,
/// dropped (with its sessions ended) on dispose. Give each test class (or test) its own.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable, IDisposable
{
    private bool _disposed;

    private TestDatabase(PostgresServer server, string name)
    {
        Server = server;
        Name = name;
        ConnectionString = server.ConnectionStringFor(name);
    }

    /// <summary>The server the database lives on.</summary>
    public PostgresServer Server { get; }

    /// <summary>The database's name.</summary>
    public string Name { get; }

    /// <summary>Npgsql connection string of the database (unpooled, see <see cref="PostgresServer.ConnectionStringFor"/>); contains the password.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a new database.</summary>
    /// <param name="hint">Readable part of the name, e.g. the test class name; reduced to lower-case letters, digits and <c>_</c>.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public static Task<TestDatabase> CreateAsync(string hint = "db", CancellationToken cancellationToken = default)
        => CreateOnAsync(PostgresServer.Instance, hint, cancellationToken);

    /// <summary>Creates a new database on <paramref name="server"/> (e.g. <see cref="PostgresServer.Archiving"/>).</summary>
    /// <param name="server">The server.</param>
    /// <param name="hint">Readable part of the name.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    public static async Task<TestDatabase> CreateOnAsync(PostgresServer server, string hint, CancellationToken cancellationToken = default)
    {
        var database = new TestDatabase(server, NewName(hint));
        await server.ExecuteAsync($"CREATE DATABASE {PostgresServer.QuoteIdentifier(database.Name)}", cancellationToken).ConfigureAwait(false);
        return database;
    }

    /// <summary>Synchronous form of <see cref="CreateAsync"/>.</summary>
    public static TestDatabase Create(string hint = "db") => CreateAsync(hint).GetAwaiter().GetResult();

    /// <summary>
    /// A fresh database name <c>t_&lt;hint&gt;_&lt;8 random hex digits&gt;</c> (at most 63 bytes) that is not created;
    /// for tests that create databases themselves (drop them with <see cref="PostgresServer.DropDatabaseAsync"/>).
    /// </summary>
    public static string NewName(string hint)
    {
        var clean = new StringBuilder();
        foreach (var c in hint.ToLowerInvariant())
        {
            if (clean.Length == 40) break;
            clean.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        return $"t_{clean}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }

    /// <summary>Opens a new connection to the database.</summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>Runs SQL (one or more statements) in the database.</summary>
    /// <param name="sql">The SQL; positional parameters are <c>$1</c>, <c>$2</c>, ...</param>
    /// <param name="parameters">Values of <c>$1</c>, <c>$2</c>, ...; none for several statements.</param>
    /// <returns>Rows affected, as Npgsql reports it.</returns>
    public async Task<int> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var connection = await OpenConnectionAsync().ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a query and returns the first column of its first row, converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The query returned no row, or NULL where <typeparamref name="T"/> cannot hold it.</exception>
    public async Task<T> ScalarAsync<T>(string sql, params object?[] parameters)
    {
        await using var connection = await OpenConnectionAsync().ConfigureAwait(false);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            throw new InvalidOperationException($"The query returned no row: {sql}");
        }
        return reader.GetFieldValue<T>(0);
    }

    /// <summary>Drops the database, ending its sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await Server.DropDatabaseAsync(Name).ConfigureAwait(false);
    }

    /// <summary>Synchronous form of <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => Name;

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
        return command;
    }
}
