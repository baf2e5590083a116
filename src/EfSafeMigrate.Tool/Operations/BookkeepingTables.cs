using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Lint;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// The tables EF Core and safe-migrate keep beside the application's (history table, EF Core's migrations lock table, the
/// journal, the lint allowances): left out of every schema comparison, since they record migrations rather than being made by them.
/// </summary>
internal static class BookkeepingTables
{
    /// <summary>The table names for the context (the history table as configured, default <c>__EFMigrationsHistory</c>).</summary>
    public static IReadOnlyList<string> For(DbContext context)
    {
        var history = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>()).MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName;
        return [history, "__EFMigrationsLock", JournalTable.For(context).Name, NpgsqlLintAllowanceJournal.TableName];
    }

    /// <summary>
    /// EF Core's history table of the context as SQL: its configured name and schema (<c>MigrationsHistoryTable(name, schema)</c>,
    /// default <c>__EFMigrationsHistory</c> without a schema), quoted by the provider, e.g. <c>"meta"."migrations_history"</c>.
    /// </summary>
    public static string DelimitedHistoryTable(DbContext context)
    {
        var relational = RelationalOptionsExtension.Extract(context.GetService<IDbContextOptions>());
        return context.GetService<ISqlGenerationHelper>().DelimitIdentifier(relational.MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName, relational.MigrationsHistoryTableSchema);
    }
}
