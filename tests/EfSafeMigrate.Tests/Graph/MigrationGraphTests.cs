using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Tests.Graph;

public class MigrationGraphTests
{
    private static MigrationGraph Graph(params (string Id, string[] Parents)[] nodes)
        => new(nodes.Select(n => (n.Id, (IReadOnlyList<string>)n.Parents)));

    [Fact]
    public void Linear_history_has_one_head_and_no_fork()
    {
        var graph = Graph(("1_A", []), ("2_B", ["1_A"]), ("3_C", ["2_B"]));

        Assert.Equal(["3_C"], graph.Heads);
        Assert.Empty(graph.Forks);
    }

    [Fact]
    public void Two_children_of_one_parent_are_a_fork_with_two_heads()
    {
        var graph = Graph(("1_A", []), ("2_B", ["1_A"]), ("2_C", ["1_A"]));

        Assert.Equal(["2_B", "2_C"], graph.Heads);
        var (parent, children) = Assert.Single(graph.Forks);
        Assert.Equal("1_A", parent);
        Assert.Equal(["2_B", "2_C"], children);
    }

    [Fact]
    public void Merge_node_joins_a_fork_into_one_head()
    {
        var graph = Graph(("1_A", []), ("2_B", ["1_A"]), ("2_C", ["1_A"]), ("3_M", ["2_B", "2_C"]));

        Assert.Equal(["3_M"], graph.Heads);
    }

    [Fact]
    public void Two_roots_are_a_fork_at_zero_and_missing_parents_are_listed()
    {
        var graph = Graph(("1_A", []), ("1_B", []), ("2_C", ["0_Gone"]));

        Assert.Equal("0", graph.Forks[0].Parent);
        Assert.Equal([("2_C", "0_Gone")], graph.MissingParents);
    }

    [Fact]
    public void Fork_joined_by_a_merge_migration_is_no_longer_reported()
    {
        var forked = Graph(("1_A", []), ("2_B", ["1_A"]), ("2_C", ["1_A"]));
        var merged = Graph(("1_A", []), ("2_B", ["1_A"]), ("2_C", ["1_A"]), ("3_M", ["2_B", "2_C"]), ("4_D", ["3_M"]));

        Assert.Single(forked.Forks);
        Assert.Empty(merged.Forks);
    }
}
