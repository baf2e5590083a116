namespace EfSafeMigrate.Graph;

/// <summary>
/// Lays out a <see cref="MigrationGraph"/> as text rows the way <c>git log --graph</c> draws commits: newest first
/// (a migration always above the migrations it follows; among those free to go next, the greatest id), one column
/// (lane) per line of the history, <c>*</c> for a migration, <c>|</c> for a lane passing by, <c>|\</c> where a merge
/// migration's second parent opens a lane, and <c>|/</c> where two lanes meet at the migration they both follow (a
/// fork). Each column is two characters wide. Pure and deterministic; the graph's parents must all be nodes of it
/// (missing parents are ignored) and must not form a cycle (the nodes of a cycle are left out).
/// </summary>
internal static class GraphLayout
{
    /// <summary>The rows, top (newest) to bottom (oldest).</summary>
    /// <param name="graph">The graph.</param>
    /// <returns>Each row's lane drawing and, for a migration's row, its id (null for connector rows).</returns>
    public static IReadOnlyList<GraphRow> Rows(MigrationGraph graph)
    {
        var rows = new List<GraphRow>();
        var lanes = new List<string>();
        foreach (var id in NewestFirst(graph))
        {
            var columns = Enumerable.Range(0, lanes.Count).Where(i => lanes[i] == id).ToList();
            if (columns.Count == 0)
            {
                lanes.Add(id); // a head: a new lane on the right
                columns.Add(lanes.Count - 1);
            }

            // Lanes that wait for the same migration meet here (a fork): join each extra one into the first.
            foreach (var extra in columns.Skip(1).OrderDescending())
            {
                rows.Add(new GraphRow(Join(lanes.Count, extra), null));
                lanes.RemoveAt(extra);
            }

            var column = columns[0];
            rows.Add(new GraphRow(Node(lanes.Count, column), id));

            var parents = graph.ParentsOf(id).Where(graph.Contains).ToList();
            if (parents.Count == 0)
            {
                lanes.RemoveAt(column);
                if (column < lanes.Count)
                {
                    rows.Add(new GraphRow(Close(lanes.Count + 1, column), null));
                }

                continue;
            }

            lanes[column] = parents[0];
            var opened = 0;
            foreach (var parent in parents.Skip(1).Where(p => !lanes.Contains(p)))
            {
                lanes.Insert(column + 1 + opened, parent);
                opened++;
                rows.Add(new GraphRow(Open(lanes.Count, column + opened), null));
            }
        }

        return rows;
    }

    // The migrations in drawing order: a migration only once every migration that follows it is drawn; the greatest id first.
    private static List<string> NewestFirst(MigrationGraph graph)
    {
        var waiting = graph.Nodes.ToDictionary(id => id, _ => 0, StringComparer.Ordinal);
        foreach (var id in graph.Nodes)
        {
            foreach (var parent in graph.ParentsOf(id).Where(waiting.ContainsKey).Distinct(StringComparer.Ordinal))
            {
                waiting[parent]++;
            }
        }

        var ready = new SortedSet<string>(waiting.Where(w => w.Value == 0).Select(w => w.Key), StringComparer.Ordinal);
        var order = new List<string>();
        while (ready.Count > 0)
        {
            var id = ready.Max!;
            ready.Remove(id);
            order.Add(id);
            foreach (var parent in graph.ParentsOf(id).Where(waiting.ContainsKey).Distinct(StringComparer.Ordinal))
            {
                if (--waiting[parent] == 0)
                {
                    ready.Add(parent);
                }
            }
        }

        return order;
    }

    private static string Node(int lanes, int column)
        => string.Concat(Enumerable.Range(0, lanes).Select(i => i == column ? "* " : "| ")).TrimEnd();

    // Lane `column` (of `lanes`, counting it; column >= 1) moves into the lane on its left; the lanes right of it shift left with it.
    private static string Join(int lanes, int column) => Shift(lanes, column, first: column);

    // Lane `column` (of `lanes`, counting it) ends (a migration that follows none); the lanes right of it shift left.
    private static string Close(int lanes, int column) => Shift(lanes, column, first: column + 1);

    private static string Shift(int lanes, int column, int first)
    {
        var text = new char[(lanes * 2) - 1];
        Array.Fill(text, ' ');
        for (var i = 0; i < lanes; i++)
        {
            if (i < column)
            {
                text[i * 2] = '|';
            }
            else if (i >= first)
            {
                text[(i * 2) - 1] = '/';
            }
        }

        return new string(text).TrimEnd();
    }

    // A new lane opens at `column` (of `lanes`, counting it) from the lane on its left; the lanes right of it shift right.
    private static string Open(int lanes, int column)
    {
        var text = new char[(lanes * 2) - 1];
        Array.Fill(text, ' ');
        for (var i = 0; i < lanes; i++)
        {
            if (i < column)
            {
                text[i * 2] = '|';
            }
            else
            {
                text[(i * 2) - 1] = '\\';
            }
        }

        return new string(text).TrimEnd();
    }
}

/// <summary>One row of a <see cref="GraphLayout"/>.</summary>
/// <param name="Lanes">The drawing of the lanes, e.g. <c>| * |</c>, <c>|/</c>, <c>|\</c> (trailing spaces trimmed).</param>
/// <param name="Id">The migration drawn on this row (its <c>*</c>), or null for a row that only connects lanes.</param>
internal sealed record GraphRow(string Lanes, string? Id);
