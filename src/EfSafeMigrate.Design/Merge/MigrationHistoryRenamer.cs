using EfSafeMigrate.Journal;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// After <see cref="MigrationRebaser"/> gave a migration a new id: renames it in a database that applied
/// it under the old id, so that it is not applied again. EF Core's history row is replaced through EF
/// Core's history repository scripts (<see cref="IHistoryRepository.GetDeleteScript"/> and
/// <see cref="IHistoryRepository.GetInsertScript"/>, keeping the row's product version). The journal
/// table (<see cref="JournalTable"/>) is append-only: when it exists, its rows of the old id are left as
/// they are and one row is appended (<see cref="JournalActions.Rebase"/>, through <see cref="JournalRecorder"/>)
/// with the new id, the new migration's checksum (the database's schema is the new migration's target
/// model) and the old id in its reason. One transaction.
/// </summary>
internal static class MigrationHistoryRenamer
{
    /// <summary>Renames <paramref name="oldId"/> to <paramref name="newId"/> in the context's database.</summary>
    /// <param name="context">The application's context, connected to the database.</param>
    /// <param name="journalProbe">The provider's journal table probe.</param>
    /// <param name="oldId">The id the database has applied.</param>
    /// <param name="newId">The new id.</param>
    /// <param name="newChecksum">The new migration's checksum (its files' hash, as in <c>safe-migrate.sum</c>), or null when unknown.</param>
    /// <param name="toolVersion">The version written into the journal row.</param>
    /// <returns>False when the database has not applied <paramref name="oldId"/> (nothing changed); otherwise true, and whether a journal row was appended (false when the database has no journal table).</returns>
    /// <exception cref="JournalWriteException">The journal row could not be written; the history is rolled back.</exception>
    public static (bool Renamed, bool JournalRecorded) Rename(DbContext context, IJournalTableProbe journalProbe, string oldId, string newId, string? newChecksum, string toolVersion)
    {
        var (renamed, journalRecorded) = RenameAll(context, journalProbe, [(oldId, newId, newChecksum)], toolVersion);
        return (renamed.Count > 0, journalRecorded);
    }

    /// <summary>
    /// Renames each applied old id of <paramref name="renames"/> to its new id, in one transaction (the renames of a whole
    /// branch moved by <see cref="BranchRebaser"/>), appending one journal row per renamed migration, in the order given.
    /// </summary>
    /// <param name="context">The application's context, connected to the database.</param>
    /// <param name="journalProbe">The provider's journal table probe.</param>
    /// <param name="renames">Old id, new id and the new migration's checksum (or null), oldest first.</param>
    /// <param name="toolVersion">The version written into the journal rows.</param>
    /// <returns>The old ids the database had applied and now has under their new ids (empty: nothing changed), and whether journal rows were appended.</returns>
    /// <exception cref="JournalWriteException">A journal row could not be written; the history is rolled back.</exception>
    public static (IReadOnlyList<string> Renamed, bool JournalRecorded) RenameAll(
        DbContext context, IJournalTableProbe journalProbe, IReadOnlyList<(string OldId, string NewId, string? NewChecksum)> renames, string toolVersion)
    {
        var history = context.GetService<IHistoryRepository>();
        if (!history.Exists())
        {
            return ([], false);
        }

        var applied = history.GetAppliedMigrations().ToDictionary(r => r.MigrationId, StringComparer.Ordinal);
        var todo = renames.Where(r => applied.ContainsKey(r.OldId)).ToList();
        if (todo.Count == 0)
        {
            return ([], false);
        }

        var journal = new JournalRecorder(context, journalProbe, toolVersion);
        var journalExists = journalProbe.Exists(context, journal.Table);
        if (journalExists)
        {
            journal.EnsureCreated(); // a table of an older version gets its newer columns (Reason) before the transaction
        }

        using var transaction = context.Database.BeginTransaction();
        foreach (var (oldId, newId, newChecksum) in todo)
        {
            var started = DateTime.UtcNow;
            context.Database.ExecuteSqlRaw(history.GetDeleteScript(oldId));
            context.Database.ExecuteSqlRaw(history.GetInsertScript(new HistoryRow(newId, applied[oldId].ProductVersion)));
            if (journalExists)
            {
                journal.Record(newId, JournalActions.Rebase, newChecksum, started, DateTime.UtcNow - started, backupPath: null, JournalActions.RebaseReason(oldId));
            }
        }

        transaction.Commit();
        return (todo.Select(r => r.OldId).ToList(), journalExists);
    }
}
