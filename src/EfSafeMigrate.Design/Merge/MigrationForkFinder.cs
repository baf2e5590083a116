using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// Finds the fork to merge in the migration graph of one DbContext (the parents recorded in
/// <c>safe-migrate.sum</c>): its two heads and their newest common ancestor, as Django's
/// <c>makemigrations --merge</c> finds the leaf nodes of an app and their common ancestor.
/// </summary>
internal static class MigrationForkFinder
{
    /// <summary>The fork of <paramref name="graph"/>, or null when it has at most one head (nothing to merge).</summary>
    /// <param name="graph">The migrations of one DbContext with their recorded parents.</param>
    /// <param name="context">The DbContext's name, for messages.</param>
    /// <exception cref="MergeRefusedException">More than two heads, or the two heads have several newest common ancestors (<see cref="MergeRefusal.Unsupported"/>).</exception>
    public static MigrationFork? Find(MigrationGraph graph, string context)
    {
        var heads = graph.Heads;
        if (heads.Count < 2)
        {
            return null;
        }

        if (heads.Count > 2)
        {
            throw new MergeRefusedException(MergeRefusal.Unsupported,
                $"{context} has {heads.Count} heads ({string.Join(", ", heads)}): merge joins two at a time, and which two come first is yours to choose. " +
                "Remove the migrations of all but two lines (dotnet safe-migrate remove), run 'dotnet safe-migrate merge', then add the others again on top (dotnet safe-migrate add <Name>).");
        }

        var (headA, headB) = (heads[0], heads[1]);
        var nodes = graph.Nodes.ToHashSet(StringComparer.Ordinal);
        var ancestorsA = AncestorsOf(graph, nodes, headA);
        var ancestorsB = AncestorsOf(graph, nodes, headB);
        var common = ancestorsA.Intersect(ancestorsB, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);

        // The newest common ancestors: those no other common ancestor follows. Every migration on the way
        // from one common ancestor to another is a common ancestor too, so it is enough to look at children.
        var children = nodes
            .SelectMany(id => graph.ParentsOf(id).Select(parent => (Parent: parent, Child: id)))
            .ToLookup(pc => pc.Parent, pc => pc.Child, StringComparer.Ordinal);
        var newest = common.Where(c => !children[c].Any(common.Contains)).Order(StringComparer.Ordinal).ToList();
        if (newest.Count > 1)
        {
            throw new MergeRefusedException(MergeRefusal.Unsupported,
                $"The heads '{headA}' and '{headB}' of {context} have {newest.Count} newest common ancestors ({string.Join(", ", newest)}): the lines were merged into each other before, crosswise, and there is no single point they both start from. " +
                "Remove the migrations of one line (dotnet safe-migrate remove) and add them again on top of the other (dotnet safe-migrate add <Name>).");
        }

        var parent = newest.Count == 0 ? null : newest[0];
        var before = parent is null ? new HashSet<string>(StringComparer.Ordinal) : AncestorsOf(graph, nodes, parent);
        return new MigrationFork(
            parent,
            headA,
            headB,
            ancestorsA.Where(id => !before.Contains(id)).Order(StringComparer.Ordinal).ToList(),
            ancestorsB.Where(id => !before.Contains(id)).Order(StringComparer.Ordinal).ToList());
    }

    // The migration itself and every migration it follows, directly or through others (parents
    // outside the graph are left out).
    private static HashSet<string> AncestorsOf(MigrationGraph graph, HashSet<string> nodes, string id)
    {
        var found = new HashSet<string>(StringComparer.Ordinal) { id };
        var pending = new Stack<string>([id]);
        while (pending.Count > 0)
        {
            foreach (var parent in graph.ParentsOf(pending.Pop()).Where(nodes.Contains))
            {
                if (found.Add(parent))
                {
                    pending.Push(parent);
                }
            }
        }

        return found;
    }
}
