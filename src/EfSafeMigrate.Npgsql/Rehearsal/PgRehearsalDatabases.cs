using System.Globalization;
using System.Text;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Npgsql.Schema;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Rehearsal;

/// <summary>
/// The scratch copies of <c>rehearse</c> on the server of a database: named <c>&lt;db&gt;_rehearsal_&lt;yyyyMMddHHmmss&gt;</c> (UTC,
/// the database name cut so that the whole fits PostgreSQL's 63 bytes), created with <c>CREATE DATABASE ... TEMPLATE</c> when
/// no other session is connected to the source (PostgreSQL refuses a template in use, SQLSTATE 55006; sessions are never
/// terminated for this), dropped with <c>DROP DATABASE ... WITH (FORCE)</c>. A copy to which no session is connected is a
/// leftover of a rehearsal that was killed (a running rehearsal keeps a connection to its copy from start to end).
/// </summary>
internal sealed class PgRehearsalDatabases
{
    /// <summary>What separates the database name from the time in a copy's name.</summary>
    public const string Marker = "_rehearsal_";

    private readonly PgConnectionInfo _connection;
    private readonly NpgsqlScratchDatabaseServer _server;

    /// <summary>Copies of the database of <paramref name="connectionString"/>, on its server, with its user.</summary>
    public PgRehearsalDatabases(string connectionString)
    {
        _connection = new PgConnectionInfo(connectionString);
        _server = new NpgsqlScratchDatabaseServer(connectionString);
    }

    /// <summary>The source database's name.</summary>
    public string Source => _connection.Database;

    /// <summary>The name of a copy made at <paramref name="utc"/>.</summary>
    public string NameFor(DateTime utc)
    {
        var suffix = Marker + utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var name = Source;
        while (name.Length > 0 && Encoding.UTF8.GetByteCount(name + suffix) > PgSql.MaxIdentifierBytes)
        {
            name = name[..^1];
        }

        return name + suffix;
    }

    /// <summary>The unpooled connection string of a copy (same server, user and password).</summary>
    public string ConnectionStringFor(string copy) => _connection.ConnectionStringFor(copy, pooling: false);

    /// <summary>
    /// How long <see cref="TryCopyByTemplate"/> looks again for sessions that are ending: a session whose client has just
    /// disconnected (the command that ran before this one, a script's previous step) stays in <c>pg_stat_activity</c>
    /// until its backend process has exited, a few milliseconds later. PostgreSQL's own <c>CREATE DATABASE ... TEMPLATE</c>
    /// waits up to 5 s for such backends (<c>CountOtherDBBackends</c>); a session that is still there after this wait is
    /// taken to be in use.
    /// </summary>
    public static readonly TimeSpan EndingSessionsWait = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Copies the source into <paramref name="copy"/> with <c>CREATE DATABASE ... TEMPLATE</c>, unless other sessions are
    /// connected to the source (after up to <see cref="EndingSessionsWait"/> for the ones that are ending). While PostgreSQL
    /// copies, new connections to the source wait (it holds the source database's lock).
    /// </summary>
    /// <returns>Null when copied; otherwise why not (sessions connected, or PostgreSQL's refusal), and nothing was created.</returns>
    /// <exception cref="NpgsqlException">Any other failure (e.g. no privilege to create databases).</exception>
    public string? TryCopyByTemplate(string copy)
    {
        var sessions = OtherSessions(Source);
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (sessions > 0 && waiting.Elapsed < EndingSessionsWait)
        {
            Thread.Sleep(50);
            sessions = OtherSessions(Source);
        }

        if (sessions > 0)
        {
            return $"{sessions} other session(s) are connected to \"{Source}\" (a template copy needs none, and safe-migrate never ends them)";
        }

        try
        {
            _server.Copy(Source, copy);
            return null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            return $"PostgreSQL refused the template copy: {ex.MessageText}";
        }
    }

    /// <summary>Drops a copy (ending its own sessions, never the source's).</summary>
    /// <exception cref="ArgumentException"><paramref name="copy"/> is not a rehearsal copy of this database.</exception>
    public void Drop(string copy)
    {
        if (!copy.Contains(Marker, StringComparison.Ordinal))
        {
            throw new ArgumentException($"\"{copy}\" is not a rehearsal copy.", nameof(copy));
        }

        _server.Drop(copy);
    }

    /// <summary>Whether a database of that name exists on the server.</summary>
    public bool Exists(string database)
        => Query("SELECT count(*) FROM pg_database WHERE datname = $1", database) > 0;

    /// <summary>
    /// The rehearsal copies of the source database that no session is connected to (left by a rehearsal that was killed,
    /// or kept with <c>--keep</c>), oldest first; read from the maintenance database.
    /// </summary>
    public IReadOnlyList<string> Leftovers()
    {
        using var connection = OpenMaintenance();
        return Leftovers(connection);
    }

    /// <summary>
    /// As <see cref="Leftovers()"/>, read on an open connection to any database of the server (<c>pg_database</c> and
    /// <c>pg_stat_activity</c> are shared catalogs), e.g. the application's own.
    /// </summary>
    public IReadOnlyList<string> Leftovers(NpgsqlConnection connection)
    {
        var prefix = NameFor(DateTime.UnixEpoch)[..^14];
        using var command = new NpgsqlCommand("""
            SELECT d.datname FROM pg_database d
            WHERE left(d.datname, length($1)) = $1 AND d.datname ~ '_rehearsal_[0-9]{14}$'
              AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)
            ORDER BY d.datname
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private long OtherSessions(string database)
        => Query("SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", database);

    private long Query(string sql, string value)
    {
        using var connection = OpenMaintenance();
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = value });
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private NpgsqlConnection OpenMaintenance()
    {
        foreach (var database in new[] { "postgres", "template1" })
        {
            var connection = new NpgsqlConnection(_connection.ConnectionStringFor(database, pooling: false));
            try
            {
                connection.Open();
                return connection;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName && database == "postgres")
            {
                connection.Dispose();
            }
        }

        throw new InvalidOperationException("unreachable");
    }
}
