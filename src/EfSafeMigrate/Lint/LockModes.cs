namespace EfSafeMigrate.Lint;

/// <summary>
/// PostgreSQL's table-level lock modes, spelled as PostgreSQL's documentation spells them
/// ("Explicit Locking", table 13.2), and what each blocks while it is held.
/// </summary>
internal static class LockModes
{
    /// <summary>Blocks every other access, reads included (<c>ALTER TABLE</c> in most forms, <c>DROP</c>, <c>VACUUM FULL</c>, <c>CLUSTER</c>).</summary>
    public const string AccessExclusive = "ACCESS EXCLUSIVE";

    /// <summary>Blocks writes and other schema changes, not reads (<c>CREATE INDEX</c> without <c>CONCURRENTLY</c>).</summary>
    public const string Share = "SHARE";

    /// <summary>Blocks writes, not reads (<c>ADD FOREIGN KEY</c> on both tables, <c>CREATE TRIGGER</c>).</summary>
    public const string ShareRowExclusive = "SHARE ROW EXCLUSIVE";

    /// <summary>Blocks only other schema changes and vacuums; reads and writes go on (<c>CREATE INDEX CONCURRENTLY</c>, <c>VALIDATE CONSTRAINT</c>).</summary>
    public const string ShareUpdateExclusive = "SHARE UPDATE EXCLUSIVE";

    /// <summary>Taken by <c>UPDATE</c>, <c>DELETE</c>, <c>INSERT</c> on the rows' table: blocks schema changes, not other writes.</summary>
    public const string RowExclusive = "ROW EXCLUSIVE";

    /// <summary>True when the mode blocks <c>INSERT</c>/<c>UPDATE</c>/<c>DELETE</c> of other sessions.</summary>
    public static bool BlocksWrites(string? mode) => mode is AccessExclusive or Share or ShareRowExclusive or "EXCLUSIVE" or "SHARE ROW EXCLUSIVE";

    /// <summary>True when the mode blocks <c>SELECT</c> of other sessions.</summary>
    public static bool BlocksReads(string? mode) => mode is AccessExclusive;

    /// <summary>What the mode blocks, for messages: <c>blocks reads and writes</c>, <c>blocks writes</c>, <c>blocks neither reads nor writes</c>.</summary>
    public static string Blocks(string? mode)
        => BlocksReads(mode) ? "blocks reads and writes" : BlocksWrites(mode) ? "blocks writes" : "blocks neither reads nor writes";
}
