using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Integrity;

/// <summary>
/// Writes the integrity file for a folder's migrations. Migrations already recorded keep their
/// parents (so a fork or a merge stays visible); a new migration follows the migration before it
/// in id order, which is also how a project that never had the file gets its parents. Context
/// by context (ordinally), migrations by id, then the baseline lines, then one head line per head
/// of each context. Baselines of the previous file are kept for contexts that still have migrations.
/// </summary>
public static class SumFileBuilder
{
    /// <summary>The sum file for <paramref name="migrations"/> (those without an id are left out).</summary>
    /// <param name="migrations">The folder's migrations.</param>
    /// <param name="previous">The current file, or null when there is none.</param>
    /// <param name="baseline">
    /// True to record each context's newest migration (by id) as its baseline (<c>hash --baseline</c>):
    /// the history up to it is accepted as it is, and <c>check --build</c> checks only what follows.
    /// </param>
    public static SumFile Build(IReadOnlyList<MigrationSource> migrations, SumFile? previous, bool baseline = false)
    {
        var entries = new List<SumEntry>();
        var heads = new List<SumHead>();
        var baselines = new List<SumBaseline>();
        foreach (var context in migrations.Where(m => m.Id is not null).GroupBy(m => m.Context ?? SumFile.NoContext).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var recorded = (previous?.Entries ?? []).Where(e => e.Context == context.Key).GroupBy(e => e.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var ordered = context.DistinctBy(m => m.Id).OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            var ids = ordered.Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);
            string? previousId = null;
            var contextEntries = new List<SumEntry>();
            foreach (var migration in ordered)
            {
                IReadOnlyList<string> parents = previousId is null ? [] : [previousId];
                if (recorded.TryGetValue(migration.Id!, out var known))
                {
                    var kept = known.Parents.Where(ids.Contains).ToList();
                    if (kept.Count > 0 || known.Parents.Count == 0)
                    {
                        parents = kept;
                    }
                }

                contextEntries.Add(new SumEntry(context.Key, migration.Id!, parents, migration.Hash));
                previousId = migration.Id;
            }

            entries.AddRange(contextEntries);
            if (baseline && contextEntries.Count > 0)
            {
                baselines.Add(new SumBaseline(context.Key, contextEntries[^1].Id));
            }
            else if (previous?.BaselineOf(context.Key) is { } kept)
            {
                baselines.Add(kept with { Line = 0 });
            }

            var graph = new MigrationGraph(contextEntries.Select(e => (e.Id, e.Parents)));
            heads.AddRange(graph.Heads.Select(h => new SumHead(context.Key, h)));
        }

        return new SumFile(entries, heads, baselines);
    }

    /// <summary>
    /// The sum file for <paramref name="migrations"/> with a squashed migration linked in so that the chain
    /// stays one line: the squashed migration follows the last migration it replaces (its id sorts right after
    /// it), and the migration that followed that one now follows the squashed migration. The graph thus shows
    /// no fork while the originals are still in the project; after <c>squash --finalize</c> deletes them,
    /// <c>hash</c> lets the squashed migration follow the migration before the range (a recorded parent that is
    /// gone falls back to the id order). The <c>--build</c> checks compare a migration carrying
    /// <c>[Replaces]</c> with the model before its range, not with its recorded parent.
    /// </summary>
    /// <param name="migrations">The folder's migrations, the squashed one included.</param>
    /// <param name="previous">The current file, or null when there is none.</param>
    /// <param name="squashedId">The id of the squashed migration.</param>
    /// <param name="lastReplacedId">The id of the last migration it replaces.</param>
    /// <exception cref="ArgumentException">The squashed migration is not among <paramref name="migrations"/>.</exception>
    public static SumFile Build(IReadOnlyList<MigrationSource> migrations, SumFile? previous, string squashedId, string lastReplacedId)
    {
        var squashed = migrations.FirstOrDefault(m => m.Id == squashedId)
            ?? throw new ArgumentException($"The squashed migration '{squashedId}' is not among the folder's migrations.", nameof(squashedId));
        var context = squashed.Context ?? SumFile.NoContext;

        // Recorded parents win in Build: start from the file as it would be without the squash
        // (so every migration has its parents), then relink around the squashed migration.
        var current = Build(migrations.Where(m => m.Id != squashedId).ToList(), previous);
        var entries = current.Entries
            .Select(e => e.Context == context && e.Parents.Contains(lastReplacedId)
                ? e with { Parents = e.Parents.Select(p => p == lastReplacedId ? squashedId : p).ToList() }
                : e)
            .ToList();
        entries.Add(new SumEntry(context, squashedId, [lastReplacedId], squashed.Hash));
        return Build(migrations, new SumFile(entries, current.Heads, current.Baselines));
    }
}
