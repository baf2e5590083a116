using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Locking;

namespace EfSafeMigrate.Tool.Output;

/// <summary>Shows a run's progress on stderr: lock waits, the backup, and one line per migration with its duration.</summary>
internal sealed class PlanRunPresenter : IPlanRunObserver
{
    private readonly Reporter _reporter;
    private readonly string _database;
    private bool _created;

    /// <summary>Creates the presenter for a database (its description, for messages).</summary>
    public PlanRunPresenter(Reporter reporter, string database)
    {
        _reporter = reporter;
        _database = database;
    }

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
    public void StepStarting(MigrationStep step) => _reporter.BeginLine($"{Verb(step.Action)} {step.MigrationId} ...");

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
