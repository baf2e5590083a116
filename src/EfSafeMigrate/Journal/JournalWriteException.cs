using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Journal;

/// <summary>
/// A journal row could not be written (the journal table could not be created, or the insert
/// failed). The step it records is already committed and stays done; only its row is missing,
/// which later checks read as "no checksum known" for that migration. The message says so,
/// names the migration and the table, and carries the database's error.
/// </summary>
internal sealed class JournalWriteException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="migrationId">The migration whose row was not written.</param>
    /// <param name="action">The action of the row (<see cref="JournalActions"/>).</param>
    /// <param name="table">The journal table.</param>
    /// <param name="inner">The database error.</param>
    public JournalWriteException(string migrationId, string action, JournalTable table, Exception inner)
        : base(
            $"The {action} of migration '{migrationId}' is done, but it could not be recorded in the journal table {table}. " +
            "Nothing needs to be re-run; without the row, 'check --connection' cannot tell whether this migration was edited after it ran. " +
            $"Fix the cause so that later runs are recorded (usually the database user may not create {table}, which needs CREATE on its schema, or may not INSERT into it). " +
            $"Database error: {MigrationExecutionException.DatabaseError(inner)}",
            inner)
    {
        MigrationId = migrationId;
        Action = action;
        Table = table;
    }

    /// <summary>The migration whose row was not written.</summary>
    public string MigrationId { get; }

    /// <summary>The action of the row that was not written (<see cref="JournalActions"/>).</summary>
    public string Action { get; }

    /// <summary>The journal table.</summary>
    public JournalTable Table { get; }
}
