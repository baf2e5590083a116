namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>What happened to one database of a fleet run.</summary>
internal enum FleetDatabaseStatus
{
    /// <summary>Migrations ran (or were faked) and it is at the target.</summary>
    Migrated,

    /// <summary>It was at the target already: nothing ran, no backup was taken (a rerun skips it this way).</summary>
    UpToDate,

    /// <summary>It failed: see the error; what its message says is the state it was left in.</summary>
    Failed,

    /// <summary>It was not started: an earlier failure stopped the run (<c>--stop-on-failure</c>, a failed canary) or it was interrupted.</summary>
    Skipped,
}

/// <summary>One database's outcome in a fleet run, for the summary table and <c>--json</c>.</summary>
/// <param name="Entry">The database as the fleet list gave it.</param>
/// <param name="Status">What happened.</param>
/// <param name="Before">The newest applied migration before the run; null: none, or not read (skipped, or it could not be reached).</param>
/// <param name="After">The newest applied migration after the run; null: none, or not read.</param>
/// <param name="Steps">How many steps ran.</param>
/// <param name="Duration">Wall-clock time of this database's run (zero when skipped).</param>
/// <param name="Backup">Full path of the backup taken before its first step; null when none was taken.</param>
/// <param name="ExitCode">The exit code a single-database <c>apply</c> would have ended with (0 when it did not fail).</param>
/// <param name="Error">The whole error message (as <c>apply</c> prints it: the migration, the database error, the backup and the fix); null when it did not fail.</param>
internal sealed record FleetDatabaseResult(
    FleetEntry Entry,
    FleetDatabaseStatus Status,
    string? Before,
    string? After,
    int Steps,
    TimeSpan Duration,
    string? Backup,
    int ExitCode,
    string? Error)
{
    /// <summary>A database that was not started.</summary>
    public static FleetDatabaseResult NotStarted(FleetEntry entry) => new(entry, FleetDatabaseStatus.Skipped, null, null, 0, TimeSpan.Zero, null, 0, null);
}

/// <summary>
/// The outcome of a fleet run and its exit code: 0 when no database failed; 130/143 when interrupted; 4 when every
/// failure was a failed backup (nothing was applied on those databases); 5 otherwise when any database failed.
/// </summary>
/// <param name="Databases">One result per database of the shard, in the list's order.</param>
/// <param name="CanaryFailed">True when a canary database failed, so the rest was not started.</param>
internal sealed record FleetOutcome(IReadOnlyList<FleetDatabaseResult> Databases, bool CanaryFailed)
{
    /// <summary>The databases that failed, in the list's order.</summary>
    public IReadOnlyList<FleetDatabaseResult> Failed => Databases.Where(d => d.Status == FleetDatabaseStatus.Failed).ToList();

    /// <summary>The exit code of the whole run (see the type's summary).</summary>
    public int ExitCode
    {
        get
        {
            var failed = Failed;
            if (failed.FirstOrDefault(d => d.ExitCode is ExitCodes.Interrupted or ExitCodes.Terminated) is { } interrupted)
            {
                return interrupted.ExitCode;
            }

            if (failed.Count == 0)
            {
                return ExitCodes.Success;
            }

            return failed.All(d => d.ExitCode == ExitCodes.BackupFailed) ? ExitCodes.BackupFailed : ExitCodes.ApplyFailed;
        }
    }
}
