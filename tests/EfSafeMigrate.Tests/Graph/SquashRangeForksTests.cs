using EfSafeMigrate.Graph;

namespace EfSafeMigrate.Tests.Graph;

public class SquashRangeForksTests
{
    private const string A = "20240101000000_A";
    private const string B = "20240102000000_B";
    private const string C = "20240103000000_C";
    private const string D = "20240104000000_D";
    private const string M = "20240105000000_Merge";

    [Fact]
    public void A_straight_line_is_accepted()
    {
        var parents = Parents((A, []), (B, [A]), (C, [B]), (D, [C]));

        Assert.Null(SquashRangeForks.Problem([A, B, C], parents));
    }

    [Fact]
    public void A_migration_outside_the_range_branching_from_inside_it_is_refused_by_name()
    {
        // D follows B (a fork with C), so squashing A..C would take D's parent away.
        var parents = Parents((A, []), (B, [A]), (C, [B]), (D, [B]));

        var problem = SquashRangeForks.Problem([A, B, C], parents);

        Assert.NotNull(problem);
        Assert.Contains($"'{D}', outside the range, branches from '{B}' inside it", problem);
    }

    [Fact]
    public void A_merge_migration_inside_the_range_is_refused_by_name()
    {
        var parents = Parents((A, []), (B, [A]), (C, [A]), (M, [B, C]), (D, [M]));

        var problem = SquashRangeForks.Problem([B, C, M], parents);

        Assert.NotNull(problem);
        Assert.Contains($"'{M}' in the range is a merge migration", problem);
    }

    private static Dictionary<string, IReadOnlyList<string>> Parents(params (string Id, string[] Parents)[] entries)
        => entries.ToDictionary(e => e.Id, e => (IReadOnlyList<string>)e.Parents);
}
