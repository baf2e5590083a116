namespace EfSafeMigrate.Graph;

/// <summary>
/// Whether a squash range is one straight line of the migration graph (the parents recorded in <c>safe-migrate.sum</c>).
/// A squash replaces its range by one migration that follows the migration before it; a migration outside the range
/// that branches from inside it (a fork) would lose its parent, and a merge migration inside it joins a line from
/// outside. Either way <c>squash --finalize</c> would leave a history <c>check --build</c> reports (SM303), so such a
/// range is refused, naming the migration.
/// </summary>
internal static class SquashRangeForks
{
    /// <summary>The reason the range cannot be squashed, or null when it is one straight line.</summary>
    /// <param name="range">The range's migration ids, oldest first.</param>
    /// <param name="parents">Each migration's parent ids (as recorded in <c>safe-migrate.sum</c>); migrations without an entry are not checked.</param>
    public static string? Problem(IReadOnlyList<string> range, IReadOnlyDictionary<string, IReadOnlyList<string>> parents)
    {
        var inRange = range.ToHashSet(StringComparer.Ordinal);
        var last = range[^1];
        foreach (var id in range.Skip(1))
        {
            if (parents.TryGetValue(id, out var own) && own.Count > 1)
            {
                return $"'{id}' in the range is a merge migration (it follows {string.Join(" and ", own.Select(p => $"'{p}'"))}): the range joins two lines of the history. " +
                       "Squash a range that ends before it or starts at it.";
            }
        }

        foreach (var (id, own) in parents.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (inRange.Contains(id))
            {
                continue;
            }

            var from = own.FirstOrDefault(p => inRange.Contains(p) && p != last);
            if (from is not null)
            {
                return $"'{id}', outside the range, branches from '{from}' inside it (a fork): the squashed migration would replace its parent. " +
                       $"Join the fork first (dotnet safe-migrate merge), or squash a range that ends at '{from}' or before it.";
            }
        }

        return null;
    }
}
