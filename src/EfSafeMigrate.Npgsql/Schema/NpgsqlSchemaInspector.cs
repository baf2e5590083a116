using EfSafeMigrate.Schema;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Schema;

/// <summary>
/// Reads tables and columns of a PostgreSQL database from the system catalogs
/// (<c>pg_class</c>, <c>pg_attribute</c>, <c>format_type</c>): ordinary and partitioned tables
/// outside <c>pg_catalog</c>, <c>information_schema</c> and the toast schemas.
/// </summary>
internal sealed class NpgsqlSchemaInspector : ISchemaInspector
{
    private readonly NpgsqlConnection _connection;
    private string? _defaultSchema;

    /// <summary>Creates an inspector for an open connection.</summary>
    public NpgsqlSchemaInspector(NpgsqlConnection connection) => _connection = connection;

    /// <summary>
    /// The schema PostgreSQL creates a table named without a schema in: the first schema of the connection's
    /// <c>search_path</c> that exists (<c>current_schema()</c>), e.g. <c>app</c> for <c>Search Path=app</c> in the
    /// connection string; <c>public</c> when none exists (then such a table cannot be created at all). Read once.
    /// </summary>
    public string DefaultSchema => _defaultSchema ??= ReadCurrentSchema();

    /// <inheritdoc />
    public IReadOnlyList<SchemaTable> GetTables()
    {
        const string sql = """
            SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relkind IN ('r', 'p')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
            ORDER BY n.nspname, c.relname, a.attnum
            """;
        var tables = new List<SchemaTable>();
        using var command = new NpgsqlCommand(sql, _connection);
        using var reader = command.ExecuteReader();
        List<TableColumn>? columns = null;
        (string Schema, string Name) current = default;
        while (reader.Read())
        {
            var key = (reader.GetString(0), reader.GetString(1));
            if (columns is null || key != current)
            {
                columns = [];
                current = key;
                tables.Add(new SchemaTable(key.Item1, key.Item2, columns));
            }

            columns.Add(new TableColumn(reader.GetString(2), Normalize(reader.GetString(3)), reader.GetBoolean(4)));
        }

        return tables;
    }

    private string ReadCurrentSchema()
    {
        using var command = new NpgsqlCommand("SELECT current_schema()", _connection);
        return command.ExecuteScalar() as string ?? "public";
    }

    /// <inheritdoc />
    public string NormalizeStoreType(string storeType) => Normalize(storeType);

    private static string Normalize(string storeType) => PgStoreTypeNormalizer.Normalize(storeType);
}
