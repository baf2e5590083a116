using EfSafeMigrate.Journal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// After <see cref="MigrationRebaser"/> gave a migration a new id: renames it in a database that applied
/// it under the old id, so that it is not applied again. EF Core's history row is replaced through EF
/// Core's history repository scripts (<see cref="IHistoryRepository.GetDeleteScript"/> and
/// <see cref="IHistoryRepository.GetInsertScript"/>, keeping the row's product version), and the rows
/// of the journal table (<see cref="JournalTable"/>), when it exists, get the new id and, where they
/// record the checksum of the applied migration, the new migration's checksum, since the database's
/// schema is the new migration's target model. One transaction.
/// </summary>
public static class MigrationHistoryRenamer
{
    /// <summary>Renames <paramref name="oldId"/> to <paramref name="newId"/> in the context's database.</summary>
    /// <param name="context">The application's context, connected to the database.</param>
    /// <param name="journalProbe">The provider's journal table probe.</param>
    /// <param name="oldId">The id the database has applied.</param>
    /// <param name="newId">The new id.</param>
    /// <param name="newChecksum">The new migration's checksum (its files' hash, as in <c>safe-migrate.sum</c>).</param>
    /// <returns>False when the database has not applied <paramref name="oldId"/> (nothing changed); otherwise true, and the number of journal rows renamed.</returns>
    public static (bool Renamed, int JournalRows) Rename(DbContext context, IJournalTableProbe journalProbe, string oldId, string newId, string newChecksum)
    {
        var history = context.GetService<IHistoryRepository>();
        if (!history.Exists())
        {
            return (false, 0);
        }

        var row = history.GetAppliedMigrations().FirstOrDefault(r => r.MigrationId == oldId);
        if (row is null)
        {
            return (false, 0);
        }

        var journal = JournalTable.For(context);
        var journalExists = journalProbe.Exists(context, journal);
        var sql = context.GetService<ISqlGenerationHelper>();
        using var transaction = context.Database.BeginTransaction();
        context.Database.ExecuteSqlRaw(history.GetDeleteScript(oldId));
        context.Database.ExecuteSqlRaw(history.GetInsertScript(new HistoryRow(newId, row.ProductVersion)));
        var journalRows = 0;
        if (journalExists)
        {
            var table = journal.Delimited(sql);
            var id = sql.DelimitIdentifier(JournalColumns.MigrationId);
            var checksum = sql.DelimitIdentifier(JournalColumns.Checksum);
            // Identifiers come from ISqlGenerationHelper.DelimitIdentifier; the values are parameters ({0}..{2}).
#pragma warning disable EF1002
            journalRows = context.Database.ExecuteSqlRaw(
                $"UPDATE {table} SET {id} = {{0}}, {checksum} = CASE WHEN {checksum} IS NULL THEN NULL ELSE {{1}} END WHERE {id} = {{2}}",
                newId, newChecksum, oldId);
#pragma warning restore EF1002
        }

        transaction.Commit();
        return (true, journalRows);
    }
}
