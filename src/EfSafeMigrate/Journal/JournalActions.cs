using EfSafeMigrate.Execution;

namespace EfSafeMigrate.Journal;

/// <summary>
/// The values of the journal's <see cref="JournalColumns.Action"/> column. Stored as text so that
/// rows written by a newer version (with actions this one does not know) still read.
/// </summary>
internal static class JournalActions
{
    /// <summary>The migration's <c>Up</c> ran and its history row was inserted.</summary>
    public const string Apply = "apply";

    /// <summary>The migration's <c>Down</c> ran and its history row was deleted.</summary>
    public const string Revert = "revert";

    /// <summary>The history row was inserted without running <c>Up</c> (<c>--fake</c>, <c>--fake-initial</c>).</summary>
    public const string FakeApply = "fake-apply";

    /// <summary>The history row was deleted without running <c>Down</c>.</summary>
    public const string FakeRevert = "fake-revert";

    /// <summary>
    /// Nothing ran: the migration's current checksum was accepted as the one applied (after a
    /// harmless edit such as a comment). Reserved for a <c>repair</c> command; can be written by hand.
    /// </summary>
    public const string Repair = "repair";

    /// <summary><c>repair --remove-unknown</c>: the history row of a migration the code does not have was deleted; nothing ran.</summary>
    public const string RepairRemoveUnknown = "repair-remove-unknown";

    /// <summary><c>repair --mark-applied</c>: a history row was inserted without running <c>Up</c> (the schema already had its changes).</summary>
    public const string RepairMarkApplied = "repair-mark-applied";

    /// <summary><c>repair --mark-pending</c>: a history row was deleted without running <c>Down</c> (the schema no longer had its changes).</summary>
    public const string RepairMarkPending = "repair-mark-pending";

    /// <summary>
    /// <c>merge --rebase</c>: the applied migration got a new id (its history row was renamed); nothing ran. The row has
    /// the new id, the new migration's checksum (the database's schema is its target model), and the old id in
    /// <see cref="JournalColumns.Reason"/> (<see cref="RebaseReason"/>); the old id's rows are left as they are.
    /// </summary>
    public const string Rebase = "rebase";

    /// <summary>The <see cref="JournalColumns.Reason"/> of a <see cref="Rebase"/> row: names the old id.</summary>
    /// <param name="oldId">The id the database had applied.</param>
    public static string RebaseReason(string oldId) => $"renamed from {oldId} by merge --rebase";

    /// <summary>The action recorded for a plan step.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown <see cref="MigrationAction"/>.</exception>
    public static string For(MigrationAction action) => action switch
    {
        MigrationAction.Apply => Apply,
        MigrationAction.Revert => Revert,
        MigrationAction.FakeApply => FakeApply,
        MigrationAction.FakeRevert => FakeRevert,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown migration action."),
    };

    /// <summary>
    /// True for actions after which the row's checksum is the checksum of the migration as the
    /// database has it: <see cref="Apply"/>, <see cref="FakeApply"/>, <see cref="Repair"/>, <see cref="RepairMarkApplied"/> and <see cref="Rebase"/>.
    /// </summary>
    public static bool RecordsAppliedChecksum(string action)
        => action is Apply or FakeApply or Repair or RepairMarkApplied or Rebase;
}
