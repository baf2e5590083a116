using EfSafeMigrate.Journal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Journal;

/// <summary>
/// PostgreSQL's existence check for the journal table: <c>to_regclass</c> on the table's
/// delimited name, which resolves an unqualified name through <c>search_path</c> exactly as the
/// journal's unqualified DDL and inserts do, and returns NULL (no error) when nothing matches;
/// only ordinary and partitioned tables count (<c>pg_class.relkind</c> <c>r</c>, <c>p</c>).
/// The queries are plain parameterized commands on the context's own connection (opened and closed through EF Core's
/// count of opens, in its current transaction if any), not EF Core LINQ queries: compiling a first query costs a
/// short-lived process (every <c>apply</c>) more than the query itself.
/// </summary>
internal sealed class NpgsqlJournalTableProbe : IJournalTableProbe
{
    /// <inheritdoc />
    public bool Exists(DbContext context, JournalTable table)
        => Query(context, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass($1) AND relkind IN ('r', 'p'))",
            table.Delimited(context.GetService<ISqlGenerationHelper>()));

    /// <inheritdoc />
    public bool HasColumn(DbContext context, JournalTable table, string column)
        => Query(context, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND attnum > 0 AND NOT attisdropped)",
            table.Delimited(context.GetService<ISqlGenerationHelper>()), column);

    private static bool Query(DbContext context, string sql, params string[] values)
    {
        var database = context.Database;
        database.OpenConnection();
        try
        {
            using var command = new NpgsqlCommand(sql, (NpgsqlConnection)database.GetDbConnection());
            command.Transaction = database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
            if (database.GetCommandTimeout() is { } timeout)
            {
                command.CommandTimeout = timeout;
            }

            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            return (bool)command.ExecuteScalar()!;
        }
        finally
        {
            database.CloseConnection();
        }
    }
}
