using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Execution;

/// <summary>
/// A run was stopped at a safe point because its cancellation token was cancelled (the tool
/// cancels it on SIGINT or SIGTERM): the migration that was running, if any, was cancelled and
/// rolled back (EF Core's per-migration transaction; the database is at a migration boundary), and
/// no further migration was started. A backup being written was stopped and its partial file removed.
/// </summary>
internal sealed class PlanInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="interrupted">The step that was running and rolled back, or null when none was (stopped before the first or between two steps).</param>
    /// <param name="backup">The backup taken before the first step, or null.</param>
    /// <param name="completed">Steps completed before the interruption, in order.</param>
    /// <param name="inner">The cancellation.</param>
    public PlanInterruptedException(MigrationStep? interrupted, BackupEntry? backup, IReadOnlyList<CompletedStep> completed, Exception? inner)
        : base(interrupted is null
            ? $"Interrupted: {completed.Count} step(s) completed, no further migration was started."
            : $"Interrupted: migration '{interrupted.MigrationId}' was stopped and rolled back; {completed.Count} step(s) before it completed, no further migration was started.", inner)
    {
        Interrupted = interrupted;
        Backup = backup;
        Completed = completed;
    }

    /// <summary>The step that was stopped and rolled back, or null.</summary>
    public MigrationStep? Interrupted { get; }

    /// <summary>The backup taken before the run, or null.</summary>
    public BackupEntry? Backup { get; }

    /// <summary>Steps that completed before the interruption, in order.</summary>
    public IReadOnlyList<CompletedStep> Completed { get; }
}
