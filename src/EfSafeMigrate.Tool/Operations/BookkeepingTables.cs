using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Lint;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

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
}
