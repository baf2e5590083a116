using System.Data;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Lint.Rules;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Lint;

/// <summary>
/// After a migration failed: drops the <c>INVALID</c> indexes its concurrent index builds left.
/// PostgreSQL keeps the index of a failed <c>CREATE INDEX CONCURRENTLY</c> (e.g. duplicates under a
/// unique index) marked invalid (<c>pg_index.indisvalid = false</c>); it is never used by queries,
/// still costs every write, and makes the re-run fail with <c>42P07 relation already exists</c>.
/// Only indexes the migration itself builds concurrently are considered (<c>IsCreatedConcurrently()</c>,
/// annotation <c>Npgsql:CreatedConcurrently</c>, or <c>CREATE INDEX CONCURRENTLY name</c> in its SQL),
/// and only when invalid; each is dropped with <c>DROP INDEX CONCURRENTLY IF EXISTS</c> (outside a
/// transaction, so neither reads nor writes of the table are blocked).
/// </summary>
internal static class ConcurrentIndexCleanup
{
    /// <summary>The (schema, name) of every index the operations build concurrently.</summary>
    public static IReadOnlyList<TableRef> ConcurrentIndexes(IEnumerable<MigrationOperation> operations)
    {
        var result = new List<TableRef>();
        foreach (var operation in operations)
        {
            if (operation is CreateIndexOperation index && IndexWithoutConcurrently.IsConcurrent(index))
            {
                result.Add(new TableRef(index.Schema, index.Name));
            }
            else if (operation is SqlOperation sql)
            {
                result.AddRange(SqlStatementClassifier.Classify(sql.Sql)
                    .Where(s => s.Kind == SqlStatementKind.CreateIndex && s.Concurrently && s.Detail is not null)
                    .Select(s => new TableRef(s.Table?.Schema, s.Detail!)));
            }
        }

        return result;
    }

    /// <summary>
    /// Drops those of <paramref name="indexes"/> that exist and are invalid; returns the names dropped.
    /// Opens the connection when closed and leaves it as found; must not be inside a transaction.
    /// </summary>
    /// <exception cref="NpgsqlException">A query or the drop failed (the database's error).</exception>
    public static IReadOnlyList<string> DropInvalid(NpgsqlConnection connection, IReadOnlyList<TableRef> indexes)
    {
        if (indexes.Count == 0)
        {
            return [];
        }

        var opened = false;
        if (connection.State != ConnectionState.Open)
        {
            connection.Open();
            opened = true;
        }

        try
        {
            var dropped = new List<string>();
            foreach (var index in indexes)
            {
                using var find = new NpgsqlCommand(
                    "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
                    "WHERE i.indexrelid = to_regclass(CASE WHEN $2::text IS NULL THEN format('%I', $1::text) ELSE format('%I.%I', $2::text, $1::text) END) AND NOT i.indisvalid",
                    connection);
                find.Parameters.Add(new NpgsqlParameter { Value = index.Name });
                find.Parameters.Add(new NpgsqlParameter { Value = (object?)index.Schema ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                if (find.ExecuteScalar() is not string name)
                {
                    continue;
                }

                using var drop = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {name}", connection);
                drop.ExecuteNonQuery();
                dropped.Add(name);
            }

            return dropped;
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
