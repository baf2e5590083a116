using EfSafeMigrate.Graph;
using EfSafeMigrate.Tool.Operations;

namespace EfSafeMigrate.Tool.Output;

/// <summary>
/// Writes <c>status --graph</c>: the lanes of <see cref="GraphLayout"/> (newest first, as <c>git log --graph</c>), each
/// migration with what it is (merge of two heads, squash of a range, replaced by a squash) and, when the database
/// was read, applied or pending; or the one JSON document (<see cref="StatusGraphResult"/>).
/// </summary>
internal static class GraphPresenter
{
    /// <summary>Writes the graph; says on stderr what was drawn.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="result">The graph.</param>
    /// <param name="databaseProblem">Why the database could not be read, or null.</param>
    public static void Present(Reporter reporter, StatusGraphResult result, string? databaseProblem)
    {
        if (databaseProblem is not null)
        {
            reporter.Warning($"The history of {result.Database ?? "the database"} could not be read ({databaseProblem}); the graph is drawn from the files, without applied/pending marks.");
        }

        if (reporter.Json)
        {
            reporter.JsonDocument(result);
        }
        else
        {
            var nodes = result.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
            var rows = GraphLayout.Rows(new MigrationGraph(result.Nodes.Select(n => (n.Id, n.Parents))));
            var width = rows.Count == 0 ? 0 : rows.Max(r => r.Lanes.Length);
            foreach (var row in rows)
            {
                if (row.Id is null)
                {
                    reporter.DataLine((row.Lanes, Tone.Grey));
                    continue;
                }

                var node = nodes[row.Id];
                reporter.DataLine(
                    (row.Lanes.PadRight(width) + "  ", Tone.Grey),
                    (node.Id, Tone.Plain),
                    (Describe(node), Tone.Grey),
                    (node.State switch { GraphNodeState.Applied => "  applied", GraphNodeState.Pending => "  pending", _ => string.Empty },
                     node.State == GraphNodeState.Applied ? Tone.Green : Tone.Yellow));
            }
        }

        var pending = result.Nodes.Count(n => n.State == GraphNodeState.Pending);
        var applied = result.Nodes.Count(n => n.State == GraphNodeState.Applied);
        reporter.Info($"{result.Nodes.Count} migration(s), {result.Heads.Count} head(s)" +
                      (result.DatabaseRead ? $"; {result.Database}: {applied} applied, {pending} pending." : "."));
        if (result.Heads.Count > 1)
        {
            reporter.Warning($"{result.Heads.Count} heads ({string.Join(", ", result.Heads)}): branches that are not merged yet. Join them: dotnet safe-migrate merge.");
        }

        if (result.Unknown.Count > 0)
        {
            reporter.Warning($"The database has {result.Unknown.Count} applied migration(s) that the code does not have ({string.Join(", ", result.Unknown)}), typically from another branch. Revert them from the branch that has them (dotnet safe-migrate rollback --to <migration>) before switching.");
        }
    }

    private static string Describe(GraphNode node)
    {
        var parts = new List<string>();
        if (node.Kind == GraphNodeKind.Merge)
        {
            parts.Add($"merge of {string.Join(" and ", node.Parents)}");
        }

        if (node.Replaces is { Count: > 0 } replaced)
        {
            parts.Add($"squash of {replaced[0]}..{replaced[^1]} ({replaced.Count} migrations)");
        }

        if (node.ReplacedBy is { } by)
        {
            parts.Add($"replaced by {by}");
        }

        return parts.Count == 0 ? string.Empty : $"  ({string.Join("; ", parts)})";
    }
}
