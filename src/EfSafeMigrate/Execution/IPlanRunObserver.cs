using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Execution;

/// <summary>Receives the progress of a <see cref="PlanRunner"/> run, in order; used for output.</summary>
internal interface IPlanRunObserver
{
    /// <summary>The database did not exist and was created empty.</summary>
    void DatabaseCreated();

    /// <summary>The migration lock is held by another run; the message describes the holder.</summary>
    void WaitingForLock(string message);

    /// <summary>The plan is known (after the lock was taken); it may be empty.</summary>
    void Planned(MigrationPlan plan);

    /// <summary>A backup is about to be written.</summary>
    void BackupStarting();

    /// <summary>The backup was written and verified.</summary>
    void BackupWritten(BackupEntry backup, TimeSpan elapsed);

    /// <summary>A step is about to run.</summary>
    void StepStarting(MigrationStep step);

    /// <summary>A step finished.</summary>
    void StepFinished(MigrationStep step, TimeSpan elapsed);

    /// <summary>A step failed; a <see cref="PlanStepFailedException"/> follows.</summary>
    void StepFailed(MigrationStep step, TimeSpan elapsed);

    /// <summary>
    /// A step failed on the lock timeout and rolled back; it is tried again after <paramref name="delay"/>.
    /// <paramref name="attempt"/> is the attempt that failed (1-based) of <paramref name="attempts"/>;
    /// <paramref name="blockers"/> blocked it (empty when not seen). Does nothing by default.
    /// </summary>
    void StepRetrying(MigrationStep step, int attempt, int attempts, TimeSpan delay, IReadOnlyList<Locking.BlockingSession> blockers)
    {
    }

    /// <summary>A step was cancelled (the run was interrupted) and rolled back; a <see cref="PlanInterruptedException"/> follows. Reports it as failed by default.</summary>
    void StepInterrupted(MigrationStep step) => StepFailed(step, TimeSpan.Zero);
}
