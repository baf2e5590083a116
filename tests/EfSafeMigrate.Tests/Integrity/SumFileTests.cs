using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tests.Integrity;

public class SumFileTests
{
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);

    private static readonly string Text = $"""
        safe-migrate.sum 1
        # comment
        AppContext 20240101000000_Initial 0 {HashA}
        AppContext 20240102000000_Merge 20240101000000_Initial+20240101000001_Other {HashB}
        head AppContext 20240102000000_Merge
        """;

    [Fact]
    public void Parse_reads_entries_parents_and_heads_with_line_numbers()
    {
        var sum = SumFile.Parse(Text);

        Assert.Equal(2, sum.Entries.Count);
        Assert.Empty(sum.Entries[0].Parents);
        Assert.Equal(["20240101000000_Initial", "20240101000001_Other"], sum.Entries[1].Parents);
        Assert.Equal(4, sum.Entries[1].Line);
        Assert.Equal(new SumHead("AppContext", "20240102000000_Merge", 5), Assert.Single(sum.Heads));
    }

    [Fact]
    public void Format_then_parse_round_trips()
    {
        var sum = SumFile.Parse(Text);

        var again = SumFile.Parse(sum.Format());

        Assert.Equal(sum.Entries.Select(e => e with { Line = 0 }), again.Entries.Select(e => e with { Line = 0 }), new EntryComparer());
        Assert.Equal(sum.Format(), again.Format());
    }

    [Theory]
    [InlineData("", 1)]
    [InlineData("safe-migrate.sum 3\n", 1)]
    [InlineData("something else\n", 1)]
    [InlineData("safe-migrate.sum 1\nAppContext 20240101000000_Initial 0 short\n", 2)]
    [InlineData("safe-migrate.sum 1\nhead AppContext\n", 2)]
    public void Parse_names_the_malformed_line(string text, int line)
    {
        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse(text));

        Assert.Equal(line, ex.Line);
        Assert.False(ex.IsConflict);
    }

    [Fact]
    public void Parse_reports_git_conflict_markers_as_conflict()
    {
        var text = $"safe-migrate.sum 1\nAppContext 20240101000000_Initial 0 {HashA}\n<<<<<<< HEAD\nhead AppContext 20240101000000_Initial\n=======\n>>>>>>> b\n";

        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse(text));

        Assert.True(ex.IsConflict);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void ParseMergingConflicts_keeps_migration_lines_of_both_sides_and_drops_conflicting_heads()
    {
        var text = $"""
            safe-migrate.sum 1
            AppContext 20240101000000_Initial 0 {HashA}
            <<<<<<< HEAD
            AppContext 20240102000000_A 20240101000000_Initial {HashA}
            head AppContext 20240102000000_A
            =======
            AppContext 20240102000001_B 20240101000000_Initial {HashB}
            head AppContext 20240102000001_B
            >>>>>>> feature
            """;

        var sum = SumFile.ParseMergingConflicts(text);

        Assert.Equal(["20240101000000_Initial", "20240102000000_A", "20240102000001_B"], sum.Entries.Select(e => e.Id));
        Assert.Empty(sum.Heads);
    }

    private sealed class EntryComparer : IEqualityComparer<SumEntry>
    {
        public bool Equals(SumEntry? x, SumEntry? y) => x!.Context == y!.Context && x.Id == y.Id && x.Hash == y.Hash && x.Parents.SequenceEqual(y.Parents);

        public int GetHashCode(SumEntry obj) => obj.Id.GetHashCode();
    }
}
