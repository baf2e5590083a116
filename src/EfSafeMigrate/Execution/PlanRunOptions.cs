using EfSafeMigrate.Journal;

namespace EfSafeMigrate.Execution;

/// <summary>How a <see cref="PlanRunner"/> run behaves.</summary>
/// <param name="Target">The target as the user gave it (id, name, <c>0</c>, or null for the newest).</param>
/// <param name="LockTimeout">How long to wait for the migration lock.</param>
/// <param name="BackupFolder">Folder for the backup; null when the user opted out (<c>--no-backup</c>).</param>
/// <param name="AdjustPlan">
/// Applied to the plan after the lock is taken and before anything runs: turns steps into fakes
/// (<c>--fake</c>, <c>--fake-initial</c>) or rejects the plan by throwing.
/// </param>
public sealed record PlanRunOptions(string? Target, TimeSpan LockTimeout, string? BackupFolder, Func<MigrationPlan, MigrationPlan>? AdjustPlan = null)
{
    /// <summary>
    /// Where each executed step is recorded (one journal row per step, written right after the
    /// step committed); null records nothing.
    /// </summary>
    public JournalRecorder? Journal { get; init; }

    /// <summary>
    /// The checksum recorded with a migration's row: given a migration id, the SHA-256 hex of its
    /// files as they are now (<see cref="Integrity.MigrationHasher"/>); null (or a null result)
    /// when the sources are not available, recorded as NULL ("no checksum known"). An exception
    /// it throws is treated like a null result (the step is committed by then).
    /// </summary>
    public Func<string, string?>? Checksum { get; init; }

    /// <summary>
    /// Called when a step's journal row could not be written. The step is committed and the run
    /// goes on; the exception's message says so and names the migration and the table. Null
    /// ignores such failures (the row is simply missing).
    /// </summary>
    public Action<JournalWriteException>? JournalFailed { get; init; }
}
