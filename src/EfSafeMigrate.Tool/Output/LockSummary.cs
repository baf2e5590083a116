using EfSafeMigrate.Lint;

namespace EfSafeMigrate.Tool.Output;

/// <summary>The <c>Locks</c> column of <c>plan</c>: per table, the strongest lock and whether it is rewritten or scanned.</summary>
internal static class LockSummary
{
    /// <summary>E.g. <c>Items: ACCESS EXCLUSIVE, rewrite</c>; <c>Orders: new table</c>; <c>none</c>.</summary>
    public static string Of(IReadOnlyList<OperationLock> locks)
    {
        var parts = locks.Where(l => l.Table is not null && l.Lock is not null)
            .GroupBy(l => l.Table!)
            .Select(g =>
            {
                if (g.All(l => l.NewTable || l.Operation.StartsWith("create table", StringComparison.Ordinal)))
                {
                    return $"{g.Key}: new table";
                }

                var existing = g.Where(l => !l.NewTable).ToList();
                var strongest = existing.OrderByDescending(l => Rank(l.Lock)).First().Lock;
                var effect = existing.Any(l => l.RewritesTable) ? ", rewrite" : existing.Any(l => l.ScansTable) ? ", scan" : string.Empty;
                return $"{g.Key}: {strongest}{effect}";
            })
            .ToList();
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static int Rank(string? mode) => mode switch
    {
        LockModes.AccessExclusive => 5,
        LockModes.ShareRowExclusive => 4,
        LockModes.Share => 3,
        LockModes.ShareUpdateExclusive => 2,
        LockModes.RowExclusive => 1,
        _ => 0,
    };
}
