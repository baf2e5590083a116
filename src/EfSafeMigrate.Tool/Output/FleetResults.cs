using EfSafeMigrate.Tool.Operations.Fleet;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// The <c>--json</c> document of <c>apply --fleet</c> (schema: <c>docs/json/apply-fleet.schema.json</c>). Its
/// <c>"schemaVersion"</c> (1) is written by the JSON writer of every command's document, not declared here.
/// </summary>
/// <param name="Shard">The shard this run migrated, <c>I/N</c> (<c>1/1</c>: the whole list).</param>
/// <param name="Parallel">How many databases ran at the same time at most.</param>
/// <param name="Canary">How many databases ran first as canaries.</param>
/// <param name="ContinueOnFailure">True with <c>--continue</c>.</param>
/// <param name="CanaryFailed">True when a canary failed and the rest was not started.</param>
/// <param name="ExitCode">The run's exit code (0, 4, 5, 130, 143).</param>
/// <param name="Summary">The counts.</param>
/// <param name="Databases">One entry per database of the shard, in the list's order.</param>
internal sealed record FleetApplyResult(
    string Shard,
    int Parallel,
    int Canary,
    bool ContinueOnFailure,
    bool CanaryFailed,
    int ExitCode,
    FleetCounts Summary,
    IReadOnlyList<FleetDatabaseEntry> Databases)
{
    /// <summary>The document for an outcome.</summary>
    public static FleetApplyResult From(FleetOutcome outcome, FleetShard shard, int parallel, int canary, bool continueOnFailure)
    {
        var databases = outcome.Databases;
        return new FleetApplyResult(shard.ToString(), parallel, canary, continueOnFailure, outcome.CanaryFailed, outcome.ExitCode,
            new FleetCounts(
                databases.Count,
                databases.Count(d => d.Status == FleetDatabaseStatus.Migrated),
                databases.Count(d => d.Status == FleetDatabaseStatus.UpToDate),
                databases.Count(d => d.Status == FleetDatabaseStatus.Failed),
                databases.Count(d => d.Status == FleetDatabaseStatus.Skipped)),
            databases.Select(d => new FleetDatabaseEntry(
                d.Entry.DisplayName, d.Entry.DatabaseName, d.Entry.Group, d.Entry.Line, d.Status, d.Before, d.After, d.Steps,
                (long)d.Duration.TotalMilliseconds, d.Backup, d.ExitCode, d.Error)).ToList());
    }
}

/// <summary>How many databases ended how.</summary>
/// <param name="Databases">All of the shard.</param>
/// <param name="Migrated">Migrations ran.</param>
/// <param name="UpToDate">Already at the target (skipped).</param>
/// <param name="Failed">Failed.</param>
/// <param name="Skipped">Not started (an earlier failure, a failed canary, an interruption).</param>
internal sealed record FleetCounts(int Databases, int Migrated, int UpToDate, int Failed, int Skipped);

/// <summary>One database in the <c>--json</c> document of <c>apply --fleet</c>.</summary>
/// <param name="Label">Its label (the database name when the list gave none).</param>
/// <param name="Database">The database's name.</param>
/// <param name="Group">Its group; null when none.</param>
/// <param name="Line">The line of the list it came from (for the JSON list: its item number, 1-based).</param>
/// <param name="Status"><c>migrated</c>, <c>up-to-date</c>, <c>failed</c> or <c>skipped</c> (not started).</param>
/// <param name="Before">The newest applied migration before the run; null: none or not read.</param>
/// <param name="After">The newest applied migration after the run; null: none or not read.</param>
/// <param name="Steps">Steps executed.</param>
/// <param name="DurationMs">Its run's wall-clock time, in milliseconds.</param>
/// <param name="Backup">Full path of the backup taken before its first step; null when none.</param>
/// <param name="ExitCode">What a single-database <c>apply</c> would have exited with (0 unless failed).</param>
/// <param name="Error">The whole error message; null unless failed.</param>
internal sealed record FleetDatabaseEntry(
    string Label,
    string Database,
    string? Group,
    int Line,
    FleetDatabaseStatus Status,
    string? Before,
    string? After,
    int Steps,
    long DurationMs,
    string? Backup,
    int ExitCode,
    string? Error);
