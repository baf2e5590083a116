using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tests.Integrity;

/// <summary>git's conflict styles (merge, diff3, zdiff3) in safe-migrate.sum: all are conflicts, never malformed lines.</summary>
public class SumFileConflictStyleTests
{
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);
    private static readonly string HashC = new('c', 64);

    /// <summary>What <c>git merge</c> writes with <c>merge.conflictStyle=diff3</c> (zdiff3 writes the same markers).</summary>
    private static string Diff3 => $"""
        safe-migrate.sum 1
        AppContext 20240101000000_Initial 0 {HashA}
        <<<<<<< HEAD
        AppContext 20240102000000_A 20240101000000_Initial {HashB}
        head AppContext 20240102000000_A
        ||||||| 1a2b3c4
        AppContext 20240101000001_Removed 20240101000000_Initial {HashC}
        head AppContext 20240101000000_Initial
        =======
        AppContext 20240102000001_B 20240101000000_Initial {HashC}
        head AppContext 20240102000001_B
        >>>>>>> feature
        """;

    [Fact]
    public void Parse_reports_a_diff3_conflict_as_a_conflict_at_its_first_marker()
    {
        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse(Diff3));

        Assert.True(ex.IsConflict);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void ParseMergingConflicts_keeps_both_sides_of_a_diff3_conflict_and_drops_the_base_section()
    {
        var sum = SumFile.ParseMergingConflicts(Diff3);

        Assert.Equal(["20240101000000_Initial", "20240102000000_A", "20240102000001_B"], sum.Entries.Select(e => e.Id));
        Assert.Empty(sum.Heads);
    }

    [Fact]
    public void A_line_of_seven_bars_that_is_not_a_marker_stays_malformed()
    {
        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse("safe-migrate.sum 1\n|||||||x\n"));

        Assert.False(ex.IsConflict);
    }
}
