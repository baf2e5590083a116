using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The history rows of a context's database as they are stored (EF Core's history repository, not the
/// squash-aware view of <c>UseSafeMigrate()</c>, which adds synthetic rows and refuses a database inside
/// a finalized squash's range): what <c>squash --finalize</c> checks before deleting the replaced migrations.
/// </summary>
public static class DatabaseHistory
{
    /// <summary>
    /// The migration ids in the history table, as stored; empty when the database or its history table
    /// does not exist. Connects with the context's current connection string.
    /// </summary>
    /// <param name="context">The context whose database is read.</param>
    /// <exception cref="Exception">The provider's exception when the server cannot be reached or refuses the login.</exception>
    public static IReadOnlyList<string> ReadIds(DbContext context)
    {
        if (!context.GetService<IRelationalDatabaseCreator>().Exists())
        {
            return [];
        }

        var history = context.GetService<IHistoryRepository>();
        if (history is SquashAwareHistoryRepository view)
        {
            history = view.Inner;
        }

        return history.Exists() ? history.GetAppliedMigrations().Select(r => r.MigrationId).ToList() : [];
    }
}
