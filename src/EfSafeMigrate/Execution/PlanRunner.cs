using EfSafeMigrate.Backups;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Locking;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Runs a plan safely: creates the database when missing, takes the migration lock on the
/// migrating connection and holds it to the end, plans (so a run that waited for the lock sees
/// what the other run did), generates the SQL of every step before anything changes (an
/// irreversible migration stops the run here; with compiled migrations a step already compiled
/// needs nothing, and one that is not is compiled now, <see cref="SafeMigrator.PrepareStep"/>), writes and verifies a backup, then executes the
/// steps one by one, each in EF Core's per-migration transaction. A failed backup means nothing
/// ran; a failed step leaves the steps before it applied and itself rolled back. A database
/// that did not exist is created empty first and not backed up (there is nothing to lose).
/// With <see cref="PlanRunOptions.Journal"/>, each executed step gets a journal row (action,
/// checksum, start, duration, backup) written on the same connection right after EF Core
/// committed the step's transaction, in a statement of its own: a process killed between the
/// two leaves the migration without a row, which checks read as "no checksum known", never as an
/// error. A row that cannot be written never fails the run (the step is committed):
/// <see cref="PlanRunOptions.JournalFailed"/> gets the failure and the run goes on.
/// Each migration runs with a lock timeout (<see cref="PlanRunOptions.DdlLockTimeout"/>, through
/// <see cref="ILockContention"/>: set on the session once before the first migration and put back when the steps end or before a
/// fake step, so the journal rows between migrations are written under it too) and is tried again with a doubling delay when it fails on it, and with
/// <see cref="PlanRunOptions.CommandTimeout"/> as its command timeout (none by default). Cancelling the
/// token stops the run at the next safe point: the running migration is cancelled and rolls back, no
/// further migration starts (<see cref="PlanInterruptedException"/>).
/// </summary>
internal sealed class PlanRunner
{
    private readonly SafeMigrator _migrator;
    private readonly IMigrationLock _lock;
    private readonly IBackupProvider? _backup;
    private readonly IPlanRunObserver _observer;
    private readonly ILockContention? _lockContention;

    /// <summary>Creates a runner.</summary>
    /// <param name="migrator">The migrator of the context to migrate.</param>
    /// <param name="migrationLock">The lock on the context's own connection.</param>
    /// <param name="backup">The backup provider; null with <c>--no-backup</c>.</param>
    /// <param name="observer">Receives progress.</param>
    /// <param name="lockContention">
    /// Sets the lock timeout on the migrating connection and names the sessions that block a migration
    /// (<see cref="PlanRunOptions.DdlLockTimeout"/>); null runs the migrations without a lock timeout.
    /// </param>
    public PlanRunner(SafeMigrator migrator, IMigrationLock migrationLock, IBackupProvider? backup, IPlanRunObserver observer, ILockContention? lockContention = null)
    {
        _lockContention = lockContention;
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
    /// <exception cref="PlanStepFailedException">A step failed (or gave up on a lock after its retries, <see cref="PlanStepFailedException.LockWait"/>); earlier steps stay applied.</exception>
    /// <exception cref="PlanInterruptedException"><paramref name="cancellationToken"/> was cancelled during the backup or the steps: the running step rolled back, no further step started.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the backup (waiting for the lock): nothing changed.</exception>
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
                return new PlanRunResult(plan, null, []) { DatabaseCreated = created };
            }

            foreach (var step in plan.Steps.Where(s => options.GeneratedSteps?.ContainsKey(s) != true))
            {
                _migrator.PrepareStep(step);
                options.GeneratedSteps?.TryAdd(step, true);
            }

            BackupEntry? backup = null;
            var completed = new List<CompletedStep>();
            MigrationStep? running = null;
            try
            {
                backup = created ? null : await BackupAsync(options.BackupFolder, applied.Count == 0 ? null : applied[^1], cancellationToken);
                var previousTimeout = database.GetCommandTimeout();
                database.SetCommandTimeout(options.CommandTimeout ?? TimeSpan.Zero); // zero: none (Npgsql's and ADO.NET's rule)
                await using var lockTimeout = new SessionLockTimeout(_lockContention, options.DdlLockTimeout);
                try
                {
                    foreach (var step in plan.Steps)
                    {
                        cancellationToken.ThrowIfCancellationRequested(); // no further migration starts
                        running = step;
                        _observer.StepStarting(step);
                        var started = DateTime.UtcNow;
                        try
                        {
                            var elapsed = await ExecuteWithLockRetriesAsync(step, options, lockTimeout, cancellationToken);
                            completed.Add(new CompletedStep(step, elapsed));
                            running = null;
                            _observer.StepFinished(step, elapsed);
                            Record(options, step, started, elapsed, backup);
                        }
                        catch (LockRetriesExhaustedException exhausted)
                        {
                            _observer.StepFailed(step, DateTime.UtcNow - started);
                            throw new PlanStepFailedException(exhausted.Failure, backup, completed) { LockWait = exhausted.LockWait };
                        }
                        catch (MigrationExecutionException failure)
                        {
                            _observer.StepFailed(step, DateTime.UtcNow - started);
                            throw new PlanStepFailedException(failure, backup, completed);
                        }
                    }
                }
                finally
                {
                    database.SetCommandTimeout(previousTimeout);
                }
            }
            catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested && cancelled is not PlanInterruptedException)
            {
                if (running is not null)
                {
                    _observer.StepInterrupted(running);
                }

                throw new PlanInterruptedException(running, backup, completed, cancelled);
            }

            return new PlanRunResult(plan, backup, completed) { DatabaseCreated = created };
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Runs a step with the lock timeout set, trying it again (after a doubling delay) when it fails on
    /// the lock timeout; each failed attempt was rolled back entirely by its transaction.
    /// </summary>
    private async Task<TimeSpan> ExecuteWithLockRetriesAsync(MigrationStep step, PlanRunOptions options, SessionLockTimeout lockTimeout, CancellationToken cancellationToken)
    {
        if (_lockContention is null || options.DdlLockTimeout <= TimeSpan.Zero || step.Action is MigrationAction.FakeApply or MigrationAction.FakeRevert)
        {
            await lockTimeout.DisposeAsync(); // a fake step runs without it, as a step without a lock timeout does
            return await _migrator.ExecuteAsync(step, cancellationToken);
        }

        var attempts = 1 + Math.Max(0, options.DdlLockRetries);
        var delay = options.DdlLockRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var interval = TimeSpan.FromMilliseconds(Math.Clamp(options.DdlLockTimeout.TotalMilliseconds / 4, 50, 250));
            var watch = _lockContention.Watch(interval);
            try
            {
                await lockTimeout.SetAsync(cancellationToken);
                return await _migrator.ExecuteAsync(step, cancellationToken); // the attempt that succeeded
            }
            catch (MigrationExecutionException failure) when (_lockContention.IsLockNotAvailable(failure))
            {
                await watch.DisposeAsync();
                if (attempt >= attempts)
                {
                    throw new LockRetriesExhaustedException(failure, new LockWaitFailure(attempts, options.DdlLockTimeout, watch.Blockers, watch.WaitingFor));
                }

                _observer.StepRetrying(step, attempt, attempts, delay, watch.Blockers);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, MaxRetryDelay.TotalMilliseconds));
            }
            finally
            {
                await watch.DisposeAsync();
            }
        }
    }

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The lock timeout of the migrating session during a run's steps: set (<see cref="ILockContention.SetLockTimeoutAsync"/>) before
    /// the first migration that runs under it and kept for the ones that follow, put back before a fake step and when the run's steps
    /// end. The setting is the session's, made outside any migration's transaction, so a migration rolled back on it (and tried
    /// again) keeps it: every migration runs with it as when it was set around each one, without three more round trips per migration.
    /// </summary>
    private sealed class SessionLockTimeout(ILockContention? contention, TimeSpan timeout) : IAsyncDisposable
    {
        private IAsyncDisposable? _restore;

        /// <summary>Sets the lock timeout unless it is set already.</summary>
        public async Task SetAsync(CancellationToken cancellationToken)
            => _restore ??= await contention!.SetLockTimeoutAsync(timeout, cancellationToken);

        /// <summary>Puts the session's previous setting back (nothing when it is not set).</summary>
        public async ValueTask DisposeAsync()
        {
            if (_restore is { } restore)
            {
                _restore = null;
                await restore.DisposeAsync();
            }
        }
    }

    private sealed class LockRetriesExhaustedException(MigrationExecutionException failure, LockWaitFailure lockWait) : Exception(failure.Message, failure)
    {
        public MigrationExecutionException Failure { get; } = failure;

        public LockWaitFailure LockWait { get; } = lockWait;
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
