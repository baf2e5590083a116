using System.Text;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>Looks at a real database: the history table, the catalog, row counts, pg_dump and psql.</summary>
public static class Pg
{
    public const string HistoryTable = "__EFMigrationsHistory";

    public static string DatabaseName(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    public static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database, Pooling = false }.ConnectionString;

    /// <summary>
    /// Opens a connection: pooled to a server's maintenance database (<see cref="MaintenanceSessions"/>), unpooled to any
    /// other (the tool under test renames, replaces, copies and drops those, and an idle session of the test's would be in
    /// its way).
    /// </summary>
    public static NpgsqlConnection Open(string connectionString)
    {
        if (MaintenanceSessions.IsMaintenance(connectionString))
        {
            return MaintenanceSessions.Open(connectionString);
        }

        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }

    public static void Execute(string connectionString, string sql)
    {
        using var connection = Open(connectionString);
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static object? Scalar(string connectionString, string sql)
    {
        using var connection = Open(connectionString);
        return Scalar(connection, sql);
    }

    public static List<string> Strings(string connectionString, string sql)
    {
        using var connection = Open(connectionString);
        return Strings(connection, sql);
    }

    public static bool TableExists(string connectionString, string table)
    {
        using var connection = Open(connectionString);
        return TableExists(connection, table);
    }

    public static bool ColumnExists(string connectionString, string table, string column) =>
        Convert.ToInt64(Scalar(connectionString,
            $"SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = {Literal(table)} AND column_name = {Literal(column)}")) > 0;

    public static bool IndexExists(string connectionString, string index) =>
        Convert.ToInt64(Scalar(connectionString,
            $"SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname = {Literal(index)}")) > 0;

    /// <summary>The migration ids in the history table, ordered by id; null when the table does not exist. One session.</summary>
    public static List<string>? HistoryOrNull(string connectionString)
    {
        using var connection = Open(connectionString);
        return HistoryOrNull(connection);
    }

    /// <summary>The migration ids in the history table, ordered by id; empty when the table does not exist.</summary>
    public static List<string> History(string connectionString) => HistoryOrNull(connectionString) ?? [];

    /// <summary>Tables of the public schema, by name.</summary>
    /// <remarks>
    /// The helpers that run several queries (this class's <c>HistoryOrNull</c>, <c>RowCounts</c>, <c>Describe</c>) run them
    /// in one session, closed before they return: as with one query, no session of the test's is left on the database.
    /// </remarks>
    public static List<string> Tables(string connectionString)
    {
        using var connection = Open(connectionString);
        return Tables(connection);
    }

    /// <summary>Row count of every table of the public schema. One session.</summary>
    public static SortedDictionary<string, long> RowCounts(string connectionString)
    {
        using var connection = Open(connectionString);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in Tables(connection))
        {
            counts[table] = Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM \"{table.Replace("\"", "\"\"")}\""));
        }

        return counts;
    }

    private static object? Scalar(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    private static List<string> Strings(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static bool TableExists(NpgsqlConnection connection, string table) =>
        Convert.ToInt64(Scalar(connection,
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = {Literal(table)}")) > 0;

    private static List<string>? HistoryOrNull(NpgsqlConnection connection) =>
        TableExists(connection, HistoryTable)
            ? Strings(connection, $"SELECT \"MigrationId\" FROM \"{HistoryTable}\" ORDER BY \"MigrationId\"")
            : null;

    private static List<string> Tables(NpgsqlConnection connection) =>
        Strings(connection,
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");

    /// <summary>Sessions other than ours connected to the database.</summary>
    public static long OtherSessions(string serverConnectionString, string database) =>
        Convert.ToInt64(Scalar(serverConnectionString,
            $"SELECT count(*) FROM pg_stat_activity WHERE datname = {Literal(database)} AND pid <> pg_backend_pid()"));

    /// <summary>Waits until no other session is connected to the database (e.g. after a client was killed).</summary>
    public static void WaitForNoOtherSessions(string serverConnectionString, string database, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (OtherSessions(serverConnectionString, database) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                var sessions = Strings(serverConnectionString,
                    $"SELECT format('%s %s %s: %s', pid, state, application_name, left(query, 200)) FROM pg_stat_activity WHERE datname = {Literal(database)} AND pid <> pg_backend_pid()");
                throw new TimeoutException($"Sessions still connected to {database} after {timeout}: {string.Join(" | ", sessions)}");
            }

            Thread.Sleep(200);
        }
    }

    public static void CreateDatabase(string serverConnectionString, string database) =>
        Execute(serverConnectionString, $"CREATE DATABASE {Identifier(database)}");

    public static void DropDatabaseIfExists(string serverConnectionString, string database) =>
        Execute(serverConnectionString, $"DROP DATABASE IF EXISTS {Identifier(database)} WITH (FORCE)");

    public static bool DatabaseExists(string serverConnectionString, string database) =>
        Convert.ToInt64(Scalar(serverConnectionString, $"SELECT count(*) FROM pg_database WHERE datname = {Literal(database)}")) > 0;

    /// <summary>
    /// <c>pg_dump --schema-only</c>, normalised: comment lines, blank lines and the
    /// <c>\restrict</c>/<c>\unrestrict</c> lines (random keys, recent pg_dump versions) removed.
    /// </summary>
    /// <param name="excludeBookkeeping">Leave out tables whose names start with two underscores
    /// (EF Core's history table, the tool's journal and lock tables), which exist or not depending on who ran the migrations.</param>
    public static string SchemaDump(string connectionString, bool excludeBookkeeping = false)
    {
        var arguments = new List<string> { "--schema-only", "--no-owner", "--no-privileges" };
        if (excludeBookkeeping)
        {
            foreach (var table in Tables(connectionString).Where(t => t.StartsWith("__", StringComparison.Ordinal)))
            {
                arguments.Add("--exclude-table=public.\"" + table + "\"");
            }
        }

        var result = RunClient("pg_dump", connectionString, arguments, TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("pg_dump failed:" + Environment.NewLine + result.Describe());
        }

        return Normalise(result.StdOut);
    }

    public static string Normalise(string dump)
    {
        var lines = dump.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.Trim().Length > 0)
            .Where(line => !line.StartsWith("--", StringComparison.Ordinal))
            .Where(line => !line.StartsWith("\\restrict", StringComparison.Ordinal) && !line.StartsWith("\\unrestrict", StringComparison.Ordinal));
        return string.Join('\n', lines) + '\n';
    }

    /// <summary>Runs a SQL file with <c>psql -v ON_ERROR_STOP=1 -f FILE</c>.</summary>
    public static ProcessResult Psql(string connectionString, string file) =>
        RunClient("psql", connectionString, ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", file], TimeSpan.FromMinutes(2));

    /// <summary>
    /// Runs a PostgreSQL client program with host, port, user and database as options and the password in PGPASSWORD;
    /// the program is the one the tool would find (<c>EfSafeMigrate.Npgsql.Backups.PgTools</c>: SAFE_MIGRATE_PG_BIN,
    /// PATH, /usr/lib/postgresql), so not Debian's Perl wrapper when the real program is installed.
    /// </summary>
    public static ProcessResult RunClient(string program, string connectionString, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var all = new List<string>
        {
            "--host", builder.Host ?? "127.0.0.1",
            "--port", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", builder.Username ?? "postgres",
            "--dbname", builder.Database ?? "postgres",
            "--no-password",
        };
        all.AddRange(arguments);
        var environment = new Dictionary<string, string?> { ["PGPASSWORD"] = builder.Password, ["PGCONNECT_TIMEOUT"] = "10" };
        return RunningProcess.Run(new EfSafeMigrate.Npgsql.Backups.PgTools().Find(program) ?? program, all, Path.GetTempPath(), timeout, environment);
    }

    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    public static string Identifier(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>A short description of the database for assertion messages.</summary>
    public static string Describe(string connectionString)
    {
        using var connection = Open(connectionString);
        var text = new StringBuilder();
        text.Append("history: [").Append(string.Join(", ", HistoryOrNull(connection) ?? ["<no history table>"])).Append("]; tables: [");
        text.Append(string.Join(", ", Tables(connection))).Append(']');
        return text.ToString();
    }
}
