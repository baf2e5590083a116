using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Locking;
using EfSafeMigrate.Tool.Output.Progress;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// Shows a run's progress on stderr: lock waits, the backup, and one line per migration with its duration. With
/// <paramref name="live"/> (stderr is a terminal) the backup's bytes and the current migration (<c>step n of m</c>) with its
/// elapsed time are drawn live below those lines.
/// </summary>
/// <param name="reporter">Output.</param>
/// <param name="database">The database's description, for messages.</param>
/// <param name="live">Live progress, or null (plain lines only).</param>
internal sealed class PlanRunPresenter(Reporter reporter, string database, LiveProgress? live = null) : IPlanRunObserver
{
    private readonly Reporter _reporter = reporter;
    private readonly string _database = database;
    private bool _created;
    private int _steps;
    private int _step;

    /// <inheritdoc />
    public void DatabaseCreated()
    {
        _created = true;
        _reporter.Info($"Created the empty {_database}; a new database has nothing to back up.");
    }

    /// <inheritdoc />
    public void WaitingForLock(string message) => _reporter.Info(message);

    /// <inheritdoc />
    public void Planned(MigrationPlan plan)
    {
        _steps = plan.Steps.Count;
        if (plan.IsEmpty && _created)
        {
            _reporter.Info($"Nothing to apply: {_database} did not exist, so this run created it, empty; it is at {(plan.TargetMigration == "0" ? "no migration" : $"migration '{plan.TargetMigration}'")}.");
        }
        else if (plan.IsEmpty)
        {
            _reporter.Info($"Nothing to do: {_database} is already at {(plan.TargetMigration == "0" ? "no migration" : $"migration '{plan.TargetMigration}'")}.");
        }
    }

    /// <inheritdoc />
    public void BackupStarting() => _reporter.BeginLine($"Backing up {_database} ...");

    /// <inheritdoc />
    public void BackupWritten(BackupEntry backup, TimeSpan elapsed)
    {
        _reporter.EndLine($"done ({HumanFormat.Duration(elapsed)})", ok: true);
        _reporter.Info($"Backup written and verified: {backup.Path} ({HumanFormat.Bytes(backup.Manifest.SizeBytes)}, SHA-256 {backup.Manifest.Sha256[..12]}…)");
    }

    /// <inheritdoc />
    public void StepStarting(MigrationStep step)
    {
        _step++;
        live?.Show($"{Verb(step.Action)} {step.MigrationId} (step {_step} of {Math.Max(_step, _steps)})");
        _reporter.BeginLine($"{Verb(step.Action)} {step.MigrationId} ...");
    }

    /// <inheritdoc />
    public void StepFinished(MigrationStep step, TimeSpan elapsed)
        => _reporter.EndLine($"done ({HumanFormat.Duration(elapsed)})", ok: true);

    /// <inheritdoc />
    public void StepFailed(MigrationStep step, TimeSpan elapsed) => _reporter.EndLine($"FAILED ({HumanFormat.Duration(elapsed)})", ok: false);

    /// <inheritdoc />
    public void StepInterrupted(MigrationStep step) => _reporter.EndLine("INTERRUPTED (rolled back)", ok: false);

    /// <inheritdoc />
    public void StepRetrying(MigrationStep step, int attempt, int attempts, TimeSpan delay, IReadOnlyList<BlockingSession> blockers)
    {
        _reporter.EndLine("LOCK TIMEOUT (rolled back)", ok: false);
        var by = blockers.Count == 0 ? string.Empty : " Blocked by " + string.Join("; ", blockers.Select(b => b.Describe())) + ".";
        _reporter.Warning($"Migration '{step.MigrationId}' waited longer than --ddl-lock-timeout for a lock (attempt {attempt} of {attempts}).{by} Trying again in {delay.TotalSeconds:0.#} s.");
        _reporter.BeginLine($"{Verb(step.Action)} {step.MigrationId} (attempt {attempt + 1} of {attempts}) ...");
    }

    /// <summary>How a step's line starts: <c>Applying</c>, <c>Reverting</c>, <c>FAKED</c> (recorded as applied without running, as Django prints it), <c>UNFAKED</c> (history row removed without running Down).</summary>
    public static string Verb(MigrationAction action) => action switch
    {
        MigrationAction.Apply => "Applying",
        MigrationAction.Revert => "Reverting",
        MigrationAction.FakeApply => "FAKED",
        _ => "UNFAKED",
    };
}
