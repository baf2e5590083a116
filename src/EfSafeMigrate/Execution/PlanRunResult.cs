using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Execution;

/// <summary>One executed step and how long it took.</summary>
/// <param name="Step">The step.</param>
/// <param name="Duration">Wall-clock time of the step.</param>
internal sealed record CompletedStep(MigrationStep Step, TimeSpan Duration);

/// <summary>The outcome of a successful <see cref="PlanRunner"/> run.</summary>
/// <param name="Plan">The plan that ran (empty when there was nothing to do).</param>
/// <param name="Backup">The backup written before the first step; null when nothing ran or with <c>--no-backup</c>.</param>
/// <param name="Completed">Executed steps, in execution order.</param>
internal sealed record PlanRunResult(MigrationPlan Plan, BackupEntry? Backup, IReadOnlyList<CompletedStep> Completed)
{
    /// <summary>True when the database did not exist and this run created it (empty) before planning.</summary>
    public bool DatabaseCreated { get; init; }
}
