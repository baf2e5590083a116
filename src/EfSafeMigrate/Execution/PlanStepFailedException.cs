using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Execution;

/// <summary>
/// A step of a run failed. The steps in <see cref="Completed"/> stay applied; the failed
/// migration ran in its own transaction and left nothing behind; <see cref="Backup"/> is the
/// backup taken before the first step (null with <c>--no-backup</c>).
/// </summary>
internal sealed class PlanStepFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PlanStepFailedException(MigrationExecutionException failure, BackupEntry? backup, IReadOnlyList<CompletedStep> completed)
        : base(failure.Message, failure)
    {
        Step = failure.Step;
        Backup = backup;
        Completed = completed;
    }

    /// <summary>The step that failed.</summary>
    public MigrationStep Step { get; }

    /// <summary>The backup taken before the run, or null.</summary>
    public BackupEntry? Backup { get; }

    /// <summary>Steps that completed before the failure, in order.</summary>
    public IReadOnlyList<CompletedStep> Completed { get; }

    /// <summary>
    /// Set when the step gave up on a lock: every attempt failed on the lock timeout; says how many
    /// attempts there were and which sessions blocked the last one. Null for other failures.
    /// </summary>
    public LockWaitFailure? LockWait { get; init; }

    /// <summary>The database's own error message.</summary>
    public string DatabaseError => MigrationExecutionException.DatabaseError(InnerException!);
}
