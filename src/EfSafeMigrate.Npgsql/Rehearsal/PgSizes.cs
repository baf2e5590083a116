using System.Data;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Rehearsal;

/// <summary>
/// Sizes from PostgreSQL's own functions: <c>pg_database_size</c> (the whole database, bytes on disk) and
/// <c>pg_total_relation_size</c> per table (heap, indexes, TOAST), with the planner's row estimate
/// (<c>pg_class.reltuples</c>, -1 when never analyzed).
/// </summary>
internal static class PgSizes
{
    /// <summary>Size of the connection's database in bytes. Opens the connection when closed and leaves it as found.</summary>
    /// <exception cref="NpgsqlException">The query failed.</exception>
    public static long DatabaseBytes(NpgsqlConnection connection)
        => WithOpen(connection, () =>
        {
            using var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
            return (long)command.ExecuteScalar()!;
        });

    /// <summary>
    /// Every table of the user schemas (ordinary and partitioned, not in <c>pg_catalog</c>, <c>information_schema</c>
    /// or toast schemas), keyed by <c>schema.table</c>, with its total size in bytes.
    /// Opens the connection when closed and leaves it as found.
    /// </summary>
    /// <exception cref="NpgsqlException">The query failed.</exception>
    public static IReadOnlyDictionary<string, long> TableBytes(NpgsqlConnection connection)
        => WithOpen(connection, () =>
        {
            var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
            using var command = new NpgsqlCommand("""
                SELECT n.nspname || '.' || c.relname, pg_total_relation_size(c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
                """, connection);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                sizes[reader.GetString(0)] = reader.GetInt64(1);
            }

            return (IReadOnlyDictionary<string, long>)sizes;
        });

    private static T WithOpen<T>(NpgsqlConnection connection, Func<T> body)
    {
        var opened = false;
        if (connection.State != ConnectionState.Open)
        {
            connection.Open();
            opened = true;
        }

        try
        {
            return body();
        }
        finally
        {
            if (opened)
            {
                connection.Close();
            }
        }
    }
}
