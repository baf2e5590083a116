using System.Globalization;

namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// <c>--shard I/N</c>: the part of the fleet one machine migrates when a CI matrix or a Kubernetes indexed Job spreads
/// the fleet over N machines. Assignment is by position, round robin: the database at position p (0-based, in the
/// list's order, comments and blank lines not counted) belongs to shard <c>(p mod N) + 1</c>. Every database is in
/// exactly one shard, and the shards differ in size by at most one. The assignment is stable as long as every machine
/// reads the same list in the same order (generate it with an <c>ORDER BY</c>); a database that moved to another shard
/// between two runs is harmless: a database already at the target is skipped, and each database has its own lock.
/// </summary>
/// <param name="Index">I: which shard, 1 to <paramref name="Count"/>.</param>
/// <param name="Count">N: how many shards.</param>
internal sealed record FleetShard(int Index, int Count)
{
    /// <summary>The whole fleet (<c>1/1</c>).</summary>
    public static readonly FleetShard All = new(1, 1);

    /// <summary>Parses <c>I/N</c> (1 ≤ I ≤ N). Kubernetes' <c>JOB_COMPLETION_INDEX</c> is 0-based: pass <c>$((JOB_COMPLETION_INDEX + 1))/N</c>.</summary>
    /// <exception cref="CommandException">Not of the form I/N with 1 ≤ I ≤ N (exit code 2).</exception>
    public static FleetShard Parse(string value)
    {
        var parts = value.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new FleetShard(index, count);
        }

        throw new CommandException(ExitCodes.UsageError,
            $"--shard takes I/N with 1 ≤ I ≤ N (e.g. --shard 2/4 for the second of four machines), not '{value}'. Nothing was changed.");
    }

    /// <summary>Whether the database at <paramref name="position"/> (0-based) belongs to this shard.</summary>
    public bool Contains(int position) => position % Count == Index - 1;

    /// <summary>This shard's databases, in the list's order.</summary>
    public IReadOnlyList<FleetEntry> Select(IReadOnlyList<FleetEntry> fleet) => fleet.Where(e => Contains(e.Position)).ToList();

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
