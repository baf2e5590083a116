using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>
/// A tiny DbContext whose migrations are the hand-written classes in <see cref="JournalTestMigrations"/>
/// (no designer, no snapshot: the pending-model-changes warning is ignored, as it compares against a snapshot).
/// </summary>
internal sealed class JournalTestContext(string connectionString, string? historySchema = null) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder
            .UseNpgsql(connectionString, npgsql =>
            {
                if (historySchema is not null)
                {
                    npgsql.MigrationsHistoryTable("__EFMigrationsHistory", historySchema);
                }
            })
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
