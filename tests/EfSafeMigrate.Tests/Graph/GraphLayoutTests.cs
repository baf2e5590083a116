using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Tests.Graph;

/// <summary>The text layout of <c>status --graph</c> (<see cref="GraphLayout"/>), as <c>git log --graph</c> draws.</summary>
public class GraphLayoutTests
{
    [Fact]
    public void A_line_is_one_lane_newest_first()
    {
        var graph = Graph(("1_Initial", []), ("2_AddSku", ["1_Initial"]), ("3_AddTags", ["2_AddSku"]));

        Assert.Equal(["* 3_AddTags", "* 2_AddSku", "* 1_Initial"], Draw(graph));
    }

    [Fact]
    public void An_unmerged_fork_gets_a_lane_per_head_that_joins_at_their_parent()
    {
        var graph = Graph(("1_Initial", []), ("2_Parent", ["1_Initial"]), ("3_A", ["2_Parent"]), ("4_B", ["2_Parent"]));

        Assert.Equal(["* 4_B", "| * 3_A", "|/", "* 2_Parent", "* 1_Initial"], Draw(graph));
    }

    [Fact]
    public void A_merge_migration_opens_a_lane_for_its_second_parent()
    {
        var graph = Graph(("1_Parent", []), ("2_A", ["1_Parent"]), ("3_B", ["1_Parent"]), ("4_Merge", ["2_A", "3_B"]), ("5_After", ["4_Merge"]));

        Assert.Equal(["* 5_After", "* 4_Merge", "|\\", "| * 3_B", "* | 2_A", "|/", "* 1_Parent"], Draw(graph));
    }

    [Fact]
    public void A_migration_is_drawn_above_its_parents_even_when_its_id_sorts_before_them()
    {
        // A rebased history can have a parent with a newer id than its child's.
        var graph = Graph(("1_Initial", []), ("3_Moved", ["1_Initial"]), ("2_Child", ["3_Moved"]));

        Assert.Equal(["* 2_Child", "* 3_Moved", "* 1_Initial"], Draw(graph));
    }

    private static MigrationGraph Graph(params (string Id, string[] Parents)[] nodes)
        => new(nodes.Select(n => (n.Id, (IReadOnlyList<string>)n.Parents)));

    private static List<string> Draw(MigrationGraph graph)
        => GraphLayout.Rows(graph).Select(r => r.Id is null ? r.Lanes : $"{r.Lanes} {r.Id}").ToList();
}
