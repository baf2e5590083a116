using EfSafeMigrate.Backups;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Locking;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Runs a plan safely: creates the database when missing, takes the migration lock on the
/// migrating connection and holds it to the end, plans (so a run that waited for the lock sees
/// what the other run did), generates the SQL of every step before anything changes (an
/// irreversible migration stops the run here), writes and verifies a backup, then executes the
/// steps one by one, each in EF Core's per-migration transaction. A failed backup means nothing
/// ran; a failed step leaves the steps before it applied and itself rolled back. A database
/// that did not exist is created empty first and not backed up (there is nothing to lose).
/// With <see cref="PlanRunOptions.Journal"/>, each executed step gets a journal row (action,
/// checksum, start, duration, backup) written on the same connection right after EF Core
/// committed the step's transaction, in a statement of its own: a process killed between the
/// two leaves the migration without a row, which checks read as "no checksum known", never as an
/// error. A row that cannot be written never fails the run (the step is committed):
/// <see cref="PlanRunOptions.JournalFailed"/> gets the failure and the run goes on.
/// </summary>
public sealed class PlanRunner
{
    private readonly SafeMigrator _migrator;
    private readonly IMigrationLock _lock;
    private readonly IBackupProvider? _backup;
    private readonly IPlanRunObserver _observer;

    /// <summary>Creates a runner.</summary>
    /// <param name="migrator">The migrator of the context to migrate.</param>
    /// <param name="migrationLock">The lock on the context's own connection.</param>
    /// <param name="backup">The backup provider; null with <c>--no-backup</c>.</param>
    /// <param name="observer">Receives progress.</param>
    public PlanRunner(SafeMigrator migrator, IMigrationLock migrationLock, IBackupProvider? backup, IPlanRunObserver observer)
    {
        _migrator = migrator;
        _lock = migrationLock;
        _backup = backup;
        _observer = observer;
    }

    /// <summary>Runs the plan to <see cref="PlanRunOptions.Target"/>.</summary>
    /// <exception cref="MigrationNotFoundException">The target is unknown; nothing changed.</exception>
    /// <exception cref="MigrationLockTimeoutException">The lock was not free in time; nothing changed.</exception>
    /// <exception cref="MigrationScriptException">A step's SQL cannot be generated; nothing changed.</exception>
    /// <exception cref="BackupException">The backup failed; nothing changed.</exception>
    /// <exception cref="PlanStepFailedException">A step failed; earlier steps stay applied.</exception>
    public async Task<PlanRunResult> RunAsync(PlanRunOptions options, CancellationToken cancellationToken = default)
    {
        // A database this run creates holds nothing to back up (and pg_dump could not connect to
        // it before it exists), so its backup is skipped.
        var created = _migrator.EnsureDatabaseExists();
        if (created)
        {
            _observer.DatabaseCreated();
        }

        var database = _migrator.Context.Database;
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var held = await _lock.AcquireAsync(options.LockTimeout, _observer.WaitingForLock, cancellationToken);
            var applied = _migrator.GetAppliedMigrations();
            var plan = _migrator.Plan(options.Target);
            plan = options.AdjustPlan?.Invoke(plan) ?? plan;
            _observer.Planned(plan);
            if (plan.IsEmpty)
            {
                return new PlanRunResult(plan, null, []);
            }

            foreach (var step in plan.Steps)
            {
                _migrator.GenerateStepScript(step);
            }

            var backup = created ? null : await BackupAsync(options.BackupFolder, applied.Count == 0 ? null : applied[^1], cancellationToken);
            var completed = new List<CompletedStep>();
            foreach (var step in plan.Steps)
            {
                _observer.StepStarting(step);
                var started = DateTime.UtcNow;
                try
                {
                    var elapsed = _migrator.Execute(step);
                    completed.Add(new CompletedStep(step, elapsed));
                    _observer.StepFinished(step, elapsed);
                    Record(options, step, started, elapsed, backup);
                }
                catch (MigrationExecutionException failure)
                {
                    _observer.StepFailed(step, DateTime.UtcNow - started);
                    throw new PlanStepFailedException(failure, backup, completed);
                }
            }

            return new PlanRunResult(plan, backup, completed);
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    private static void Record(PlanRunOptions options, MigrationStep step, DateTime started, TimeSpan elapsed, BackupEntry? backup)
    {
        if (options.Journal is not { } journal)
        {
            return;
        }

        string? checksum;
        try
        {
            checksum = options.Checksum?.Invoke(step.MigrationId);
        }
        catch (Exception)
        {
            checksum = null; // the step is committed: an unknown checksum is recorded rather than failing the run
        }

        try
        {
            journal.Record(step.MigrationId, JournalActions.For(step.Action), checksum, started, elapsed, backup?.Path);
        }
        catch (JournalWriteException failure)
        {
            options.JournalFailed?.Invoke(failure);
        }
    }

    private async Task<BackupEntry?> BackupAsync(string? folder, string? headMigration, CancellationToken cancellationToken)
    {
        if (_backup is null || folder is null)
        {
            return null;
        }

        _observer.BackupStarting();
        var started = DateTime.UtcNow;
        await _backup.CheckAvailableAsync(cancellationToken);
        var entry = await _backup.CreateAsync(folder, headMigration, cancellationToken);
        _observer.BackupWritten(entry, DateTime.UtcNow - started);
        return entry;
    }
}
