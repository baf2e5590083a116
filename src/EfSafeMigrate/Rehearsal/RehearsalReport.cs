using EfSafeMigrate.Schema;

namespace EfSafeMigrate.Rehearsal;

/// <summary>How a rehearsal got its scratch copy.</summary>
internal static class RehearsalCopyMethods
{
    /// <summary><c>CREATE DATABASE ... TEMPLATE</c> of the project's database.</summary>
    public const string Template = "template";

    /// <summary>A fresh verified backup of the project's database, restored into the copy.</summary>
    public const string Backup = "backup";

    /// <summary>An existing backup (<c>--from-backup</c>), restored into the copy.</summary>
    public const string FromBackup = "from-backup";
}

/// <summary>The outcome of the round trip of one migration (its <c>Down</c>, then the schema compared).</summary>
internal static class RoundTripStates
{
    /// <summary>Down ran and the schema is the one before Up.</summary>
    public const string Ok = "ok";

    /// <summary>Down ran but the schema differs from the one before Up (<see cref="RehearsedMigration.RoundTripDifferences"/>).</summary>
    public const string Different = "different";

    /// <summary>Down failed or is irreversible (<see cref="RehearsedMigration.RoundTripError"/>).</summary>
    public const string Failed = "failed";

    /// <summary>Not tried: <c>--no-roundtrip</c>, or an earlier failure stopped the rehearsal.</summary>
    public const string Skipped = "skipped";
}

/// <summary>A table lock a migration held or waited for on the copy.</summary>
/// <param name="Table">The table, <c>schema.table</c>.</param>
/// <param name="Mode">PostgreSQL's lock mode, e.g. <c>AccessExclusiveLock</c>.</param>
/// <param name="WaitedMs">The longest wait seen, in milliseconds.</param>
internal sealed record RehearsalLock(string Table, string Mode, long WaitedMs);

/// <summary>A table a migration touched (locked, created, dropped or resized), with its total size in bytes before and after.</summary>
/// <param name="Table">The table, <c>schema.table</c>.</param>
/// <param name="BytesBefore">Heap, indexes and TOAST in bytes before the migration; null when it did not exist.</param>
/// <param name="BytesAfter">The same after; null when it no longer exists.</param>
internal sealed record RehearsalTableSize(string Table, long? BytesBefore, long? BytesAfter);

/// <summary>One migration as rehearsed on the copy.</summary>
/// <param name="Id">The migration id.</param>
/// <param name="DurationMs">How long its Up took, in milliseconds; null when it was not run.</param>
/// <param name="Error">Why its Up failed, or null.</param>
/// <param name="Locks">The table locks seen while it ran (sampled from <c>pg_locks</c>).</param>
/// <param name="Tables">The tables it touched, with their sizes.</param>
/// <param name="RoundTrip">One of <see cref="RoundTripStates"/>.</param>
/// <param name="RoundTripError">Why its Down failed, or null.</param>
/// <param name="RoundTripDifferences">How the schema after its Down differs from the schema before its Up (before on the left).</param>
internal sealed record RehearsedMigration(
    string Id,
    long? DurationMs,
    string? Error,
    IReadOnlyList<RehearsalLock> Locks,
    IReadOnlyList<RehearsalTableSize> Tables,
    string RoundTrip,
    string? RoundTripError,
    IReadOnlyList<CatalogDifference> RoundTripDifferences)
{
    /// <summary>The lint pre-flight's errors and warnings for its Up against the real database's table sizes (<c>CODE severity: message</c>); reported, never blocking.</summary>
    public IReadOnlyList<string> Lint { get; init; } = [];

    /// <summary>True when Up ran and the round trip was ok or skipped on purpose.</summary>
    public bool Succeeded(bool roundTrip) => Error is null && DurationMs is not null && (roundTrip ? RoundTrip == RoundTripStates.Ok : true);

    /// <summary>How the round trip went, in one line per problem (empty when ok or skipped).</summary>
    public IReadOnlyList<string> DescribeRoundTrip()
        => RoundTripError is not null
            ? [$"Down of '{Id}' failed: {RoundTripError}"]
            : RoundTripDifferences.Select(d => $"Down of '{Id}' does not restore the schema: " + d.Describe("before Up", "after Down")).ToList();
}

/// <summary>The result of <c>rehearse</c>.</summary>
/// <param name="Database">The project's database (never changed).</param>
/// <param name="Copy">The scratch copy's name.</param>
/// <param name="CopyMethod">One of <see cref="RehearsalCopyMethods"/>.</param>
/// <param name="CopyMs">How long making the copy took, in milliseconds.</param>
/// <param name="Kept">True when the copy was kept (<c>--keep</c>).</param>
/// <param name="RoundTrip">False with <c>--no-roundtrip</c>.</param>
/// <param name="Migrations">The migrations rehearsed, in the order applied.</param>
/// <param name="ReapplyError">Why re-applying after the round trip failed, or null.</param>
/// <param name="TotalMs">The whole rehearsal, copy and cleanup included, in milliseconds.</param>
internal sealed record RehearsalReport(
    string Database,
    string Copy,
    string CopyMethod,
    long CopyMs,
    bool Kept,
    bool RoundTrip,
    IReadOnlyList<RehearsedMigration> Migrations,
    string? ReapplyError,
    long TotalMs)
{
    /// <summary>True when every migration applied, round-tripped (unless skipped) and re-applied.</summary>
    public bool Succeeded => ReapplyError is null && Migrations.All(m => m.Succeeded(RoundTrip));
}
