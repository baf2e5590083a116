using EfSafeMigrate.Journal;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Execution;

/// <summary>How a <see cref="PlanRunner"/> run behaves.</summary>
/// <param name="Target">The target as the user gave it (id, name, <c>0</c>, or null for the newest).</param>
/// <param name="LockTimeout">How long to wait for the migration lock.</param>
/// <param name="BackupFolder">Folder for the backup; null when the user opted out (<c>--no-backup</c>).</param>
/// <param name="AdjustPlan">
/// Applied to the plan after the lock is taken and before anything runs: turns steps into fakes
/// (<c>--fake</c>, <c>--fake-initial</c>) or rejects the plan by throwing.
/// </param>
internal sealed record PlanRunOptions(string? Target, TimeSpan LockTimeout, string? BackupFolder, Func<MigrationPlan, MigrationPlan>? AdjustPlan = null)
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

    /// <summary>
    /// PostgreSQL's <c>lock_timeout</c> (or the provider's equivalent, through the runner's
    /// <see cref="Locking.ILockContention"/>) for each migration: a statement that waits longer than this for
    /// a lock fails (SQLSTATE <c>55P03</c>, lock_not_available), the migration's transaction rolls back,
    /// and the migration is tried again (<see cref="DdlLockRetries"/>). Keeps a DDL statement that queues
    /// behind a long reader from blocking every later query on the table for longer than this.
    /// <see cref="TimeSpan.Zero"/>: no lock timeout (wait as long as it takes). Default 5 s.
    /// </summary>
    public TimeSpan DdlLockTimeout { get; init; } = DefaultDdlLockTimeout;

    /// <summary>How many times a migration that failed on <see cref="DdlLockTimeout"/> is tried again (0: never). Default 3.</summary>
    public int DdlLockRetries { get; init; } = 3;

    /// <summary>
    /// The wait before the first retry of a migration that failed on the lock timeout; it doubles
    /// before each further retry (1 s, 2 s, 4 s, ... by default), capped at 30 s.
    /// </summary>
    public TimeSpan DdlLockRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The command timeout of the migrations' statements; null (the default): none, however long a
    /// statement runs (a <c>CREATE INDEX</c> on a large table may take hours; Npgsql's own default of
    /// 30 s, or a <c>Command Timeout</c> in the connection string, would cancel it). Set through EF Core's
    /// <see cref="RelationalDatabaseFacadeExtensions.SetCommandTimeout(Microsoft.EntityFrameworkCore.Infrastructure.DatabaseFacade, TimeSpan)"/>
    /// for the steps only, and restored after them.
    /// </summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary>
    /// Steps whose SQL a run of the same migrations (same code, same provider) already generated without error, shared
    /// by the runs of one process (<c>apply --fleet</c>): the runner skips generating them again before it starts (their
    /// SQL does not depend on the database, only on the code), and adds the steps it generated. Null: every run checks
    /// every step. Must be thread-safe when runs share it.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<MigrationStep, bool>? GeneratedSteps { get; init; }

    /// <summary>Default of <see cref="DdlLockTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultDdlLockTimeout = TimeSpan.FromSeconds(5);
}
