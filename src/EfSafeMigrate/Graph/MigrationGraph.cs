namespace EfSafeMigrate.Graph;

/// <summary>
/// The migrations of one DbContext as a graph: each migration names its parent(s), so that two
/// migrations made on two branches from the same parent show up as a fork, and a merge
/// migration as a node with two parents. EF Core itself orders migrations by id only and keeps
/// no parents; they come from <c>safe-migrate.sum</c> (Django keeps them as explicit
/// dependencies for the same reason: to detect branches that need merging).
/// </summary>
internal sealed class MigrationGraph
{
    private readonly Dictionary<string, IReadOnlyList<string>> _parents;

    /// <summary>Builds a graph from (id, parent ids) pairs.</summary>
    public MigrationGraph(IEnumerable<(string Id, IReadOnlyList<string> Parents)> nodes)
    {
        _parents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (id, parents) in nodes)
        {
            _parents[id] = parents;
        }
    }

    /// <summary>Migration ids, ordinally sorted.</summary>
    public IReadOnlyList<string> Nodes => _parents.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>True when <paramref name="id"/> is a node of the graph.</summary>
    public bool Contains(string id) => _parents.ContainsKey(id);

    /// <summary>The parents of a migration (empty for a root).</summary>
    public IReadOnlyList<string> ParentsOf(string id) => _parents[id];

    /// <summary>Leaf nodes (heads): migrations no other migration follows, ordinally sorted. More than one means unmerged branches.</summary>
    public IReadOnlyList<string> Heads
    {
        get
        {
            var followed = _parents.Values.SelectMany(p => p).ToHashSet(StringComparer.Ordinal);
            return _parents.Keys.Where(id => !followed.Contains(id)).Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>
    /// Unmerged forks: a parent (<c>0</c> for "no parent") with the migrations that follow it, for every
    /// parent followed by more than one migration, unless a merge migration already joins them (a migration
    /// that follows every one of them, directly or through others; <c>dotnet safe-migrate merge</c> writes it).
    /// </summary>
    public IReadOnlyList<(string Parent, IReadOnlyList<string> Children)> Forks =>
        _parents
            .SelectMany(kv => kv.Value.Count == 0 ? [("0", kv.Key)] : kv.Value.Select(p => (Parent: p, Child: kv.Key)))
            .GroupBy(pc => pc.Item1, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<string>)g.Select(pc => pc.Item2).Order(StringComparer.Ordinal).ToList()))
            .Where(fork => !IsJoined(fork.Item2))
            .ToList();

    // The migration itself and every migration that follows it, directly or through others.
    private HashSet<string> DescendantsOf(string id)
    {
        var children = _parents
            .SelectMany(kv => kv.Value.Select(p => (Parent: p, Child: kv.Key)))
            .ToLookup(pc => pc.Parent, pc => pc.Child, StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal) { id };
        var pending = new Stack<string>([id]);
        while (pending.Count > 0)
        {
            foreach (var child in children[pending.Pop()])
            {
                if (found.Add(child))
                {
                    pending.Push(child);
                }
            }
        }

        return found;
    }

    // Forks are rare, so walking the graph once per child of a fork costs nothing on a clean history.
    private bool IsJoined(IReadOnlyList<string> children)
    {
        var common = DescendantsOf(children[0]);
        foreach (var child in children.Skip(1))
        {
            common.IntersectWith(DescendantsOf(child));
        }

        return common.Count > 0;
    }

    /// <summary>Parent ids that are not nodes of the graph (a migration follows one that is gone).</summary>
    public IReadOnlyList<(string Id, string MissingParent)> MissingParents =>
        _parents.SelectMany(kv => kv.Value.Where(p => !_parents.ContainsKey(p)).Select(p => (kv.Key, p))).ToList();
}
