namespace EfSafeMigrate.Integrity;

/// <summary>
/// Records a squashed migration in <c>safe-migrate.sum</c> so that the chain stays one line: the
/// squashed migration follows the last migration it replaces (its id sorts right after it), and the
/// migration that followed that one now follows the squashed migration. The graph thus shows no
/// fork while the originals are still in the project; after <c>squash --finalize</c> deletes them,
/// <c>hash</c> lets the squashed migration follow the migration before the range (a recorded parent
/// that is gone falls back to the id order). The <c>--build</c> checks compare a migration carrying
/// <c>[Replaces]</c> with the model before its range, not with its recorded parent.
/// </summary>
internal static class SquashSumUpdater
{
    /// <summary>The sum file for <paramref name="migrations"/> with the squashed migration linked in.</summary>
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

        // Recorded parents win in SumFileBuilder: start from the file as it would be without the squash
        // (so every migration has its parents), then relink around the squashed migration.
        var current = SumFileBuilder.Build(migrations.Where(m => m.Id != squashedId).ToList(), previous);
        var entries = current.Entries
            .Select(e => e.Context == context && e.Parents.Contains(lastReplacedId)
                ? e with { Parents = e.Parents.Select(p => p == lastReplacedId ? squashedId : p).ToList() }
                : e)
            .ToList();
        entries.Add(new SumEntry(context, squashedId, [lastReplacedId], squashed.Hash));
        return SumFileBuilder.Build(migrations, new SumFile(entries, current.Heads, current.Baselines));
    }
}
