using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Journal;

/// <summary>
/// Where the journal table lives: <see cref="DefaultName"/> in the schema of EF Core's
/// migrations history table. EF Core takes that schema from
/// <c>UseNpgsql(..., o =&gt; o.MigrationsHistoryTable(name, schema))</c>
/// (<see cref="RelationalOptionsExtension.MigrationsHistoryTableSchema"/>); when none is
/// configured both tables are created without a schema, i.e. in the connection's default schema
/// (PostgreSQL: the first schema of <c>search_path</c>, normally <c>public</c>).
/// </summary>
/// <param name="Name">The table name (<see cref="DefaultName"/>).</param>
/// <param name="Schema">The schema, or null for the connection's default schema.</param>
internal sealed record JournalTable(string Name, string? Schema)
{
    /// <summary>The journal table's name: <c>__SafeMigrateJournal</c>.</summary>
    public const string DefaultName = "__SafeMigrateJournal";

    /// <summary>The journal table of a context: <see cref="DefaultName"/> in its history table's schema.</summary>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public static JournalTable For(DbContext context)
    {
        var relational = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
        return new JournalTable(DefaultName, relational.MigrationsHistoryTableSchema);
    }

    /// <summary>The table's name as the provider delimits it in SQL, e.g. <c>"__SafeMigrateJournal"</c> or <c>"meta"."__SafeMigrateJournal"</c>.</summary>
    public string Delimited(ISqlGenerationHelper sql) => sql.DelimitIdentifier(Name, Schema);

    /// <summary>For messages: <c>__SafeMigrateJournal</c> or <c>meta.__SafeMigrateJournal</c>.</summary>
    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}
