using EfSafeMigrate.Journal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Npgsql.Journal;

/// <summary>
/// PostgreSQL's existence check for the journal table: <c>to_regclass</c> on the table's
/// delimited name, which resolves an unqualified name through <c>search_path</c> exactly as the
/// journal's unqualified DDL and inserts do, and returns NULL (no error) when nothing matches;
/// only ordinary and partitioned tables count (<c>pg_class.relkind</c> <c>r</c>, <c>p</c>).
/// </summary>
internal sealed class NpgsqlJournalTableProbe : IJournalTableProbe
{
    /// <inheritdoc />
    public bool Exists(DbContext context, JournalTable table)
    {
        var name = table.Delimited(context.GetService<ISqlGenerationHelper>());
        return context.Database
            .SqlQueryRaw<bool>("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass({0}) AND relkind IN ('r', 'p')) AS \"Value\"", name)
            .AsEnumerable()
            .Single();
    }

    /// <inheritdoc />
    public bool HasColumn(DbContext context, JournalTable table, string column)
    {
        var name = table.Delimited(context.GetService<ISqlGenerationHelper>());
        return context.Database
            .SqlQueryRaw<bool>("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass({0}) AND attname = {1} AND attnum > 0 AND NOT attisdropped) AS \"Value\"", name, column)
            .AsEnumerable()
            .Single();
    }
}
