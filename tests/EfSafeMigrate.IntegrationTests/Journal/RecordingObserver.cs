using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>Collects a run's progress as lines (<c>finished apply 2025..._X</c>), for assertions.</summary>
internal sealed class RecordingObserver : IPlanRunObserver
{
    public List<string> Events { get; } = [];

    public void DatabaseCreated() => Events.Add("created");

    public void WaitingForLock(string message) => Events.Add("waiting");

    public void Planned(MigrationPlan plan) => Events.Add($"planned {plan.Steps.Count}");

    public void BackupStarting() => Events.Add("backup");

    public void BackupWritten(BackupEntry backup, TimeSpan elapsed) => Events.Add("backup written");

    public void StepStarting(MigrationStep step) => Events.Add($"starting {step.Action} {step.MigrationId}");

    public void StepFinished(MigrationStep step, TimeSpan elapsed) => Events.Add($"finished {step.Action} {step.MigrationId}");

    public void StepFailed(MigrationStep step, TimeSpan elapsed) => Events.Add($"failed {step.Action} {step.MigrationId}");
}
