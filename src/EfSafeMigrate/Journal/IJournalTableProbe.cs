using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Journal;

/// <summary>
/// Answers whether the journal table exists: the one part of the journal that is
/// provider-specific (EF Core's own history repositories each bring their own existence query).
/// Everything else (DDL, inserts, reads) goes through EF Core's services. PostgreSQL:
/// <c>EfSafeMigrate.Npgsql.Journal.NpgsqlJournalTableProbe</c>.
/// </summary>
internal interface IJournalTableProbe
{
    /// <summary>
    /// True when <paramref name="table"/> exists, as a table, in the database the context is
    /// connected to. A table without a schema is looked up the way an unqualified name resolves
    /// in that database (PostgreSQL: through <c>search_path</c>). Runs on the context's
    /// connection (opening and closing it when it is closed). The database itself exists.
    /// </summary>
    bool Exists(DbContext context, JournalTable table);

    /// <summary>
    /// True when the existing <paramref name="table"/> has the column <paramref name="column"/> (tables written by an older
    /// version lack the columns of <see cref="JournalColumns.Added"/>). Runs on the context's connection.
    /// </summary>
    bool HasColumn(DbContext context, JournalTable table, string column);
}
