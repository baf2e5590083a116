namespace EfSafeMigrate.Execution;

/// <summary>How a <see cref="PlanRunner"/> run behaves.</summary>
/// <param name="Target">The target as the user gave it (id, name, <c>0</c>, or null for the newest).</param>
/// <param name="LockTimeout">How long to wait for the migration lock.</param>
/// <param name="BackupFolder">Folder for the backup; null when the user opted out (<c>--no-backup</c>).</param>
/// <param name="AdjustPlan">
/// Applied to the plan after the lock is taken and before anything runs: turns steps into fakes
/// (<c>--fake</c>, <c>--fake-initial</c>) or rejects the plan by throwing.
/// </param>
public sealed record PlanRunOptions(string? Target, TimeSpan LockTimeout, string? BackupFolder, Func<MigrationPlan, MigrationPlan>? AdjustPlan = null);
