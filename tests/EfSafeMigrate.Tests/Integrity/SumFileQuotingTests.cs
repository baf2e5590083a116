using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

/// <summary>Format 2 of safe-migrate.sum: ids EF Core accepts but format 1 cannot hold, and baseline lines.</summary>
public class SumFileQuotingTests
{
    private static readonly string HashA = new('a', 64);
    private static readonly string HashB = new('b', 64);
    private static readonly string HashC = new('c', 64);

    [Theory]
    [InlineData("20230113175441_Fix Navigation Properties")]
    [InlineData("20230301000000_v1.2.3-beta")]
    [InlineData("20230301000000_a+b")]
    [InlineData("20230301000000_say \"hi\" \\ there")]
    [InlineData("20230301000000_tab\there")]
    [InlineData("0")]
    [InlineData("head")]
    public void Format_then_parse_round_trips_any_id(string id)
    {
        var sum = new SumFile(
            [new SumEntry("AppContext", "20230101000000_Initial", [], HashA), new SumEntry("AppContext", id, ["20230101000000_Initial"], HashB), new SumEntry("AppContext", "20230501000000_Next", [id, "20230101000000_Initial"], HashC)],
            [new SumHead("AppContext", "20230501000000_Next")]);

        var again = SumFile.Parse(sum.Format());

        Assert.Equal(["20230101000000_Initial", id, "20230501000000_Next"], again.Entries.Select(e => e.Id));
        Assert.Equal([id, "20230101000000_Initial"], again.Entries[2].Parents);
        Assert.Equal(id, again.Entries[1].Id);
        Assert.Equal(sum.Format(), again.Format());
    }

    [Fact]
    public void Format_writes_format_1_when_every_id_is_a_plain_token_and_format_2_otherwise()
    {
        var plain = new SumFile([new SumEntry("AppContext", "20230101000000_Initial.v2-final", [], HashA)], [new SumHead("AppContext", "20230101000000_Initial.v2-final")]);
        var spaced = new SumFile([new SumEntry("AppContext", "20230113175441_Fix Navigation Properties", [], HashA)], [new SumHead("AppContext", "20230113175441_Fix Navigation Properties")]);

        Assert.StartsWith("safe-migrate.sum 1\n", plain.Format(), StringComparison.Ordinal);
        Assert.StartsWith("safe-migrate.sum 2\n", spaced.Format(), StringComparison.Ordinal);
        Assert.Contains($"AppContext \"20230113175441_Fix Navigation Properties\" 0 {HashA}\n", spaced.Format(), StringComparison.Ordinal);
        Assert.Contains("head AppContext \"20230113175441_Fix Navigation Properties\"\n", spaced.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_still_reads_format_1()
    {
        var sum = SumFile.Parse($"safe-migrate.sum 1\nAppContext 20240101000000_Initial 0 {HashA}\nhead AppContext 20240101000000_Initial\n");

        Assert.Equal("20240101000000_Initial", Assert.Single(sum.Entries).Id);
        Assert.Empty(sum.Baselines);
    }

    [Fact]
    public void Format_1_reader_behaviour_is_what_broke_ids_with_spaces()
    {
        // What format 1 made of an id with a space: too many fields, so the file its writer produced was rejected (SM110).
        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse($"safe-migrate.sum 1\nAppContext 20230113175441_Fix Navigation Properties 0 {HashA}\n"));

        Assert.Equal(2, ex.Line);
    }

    [Theory]
    [InlineData("AppContext \"20230101000000_Open 0 " + "x", "not closed")]
    [InlineData("AppContext \"20230101000000_A\\q\" 0 HASH", "escape")]
    [InlineData("AppContext 20230101000000_A \"a\"++\"b\" HASH", "empty value")]
    [InlineData("baseline AppContext", "baseline line")]
    public void Parse_names_malformed_format_2_lines(string line, string reason)
    {
        var ex = Assert.Throws<SumFileFormatException>(() => SumFile.Parse("safe-migrate.sum 2\n" + line.Replace("HASH", HashA, StringComparison.Ordinal) + "\n"));

        Assert.Equal(2, ex.Line);
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_conflicts_reads_a_file_whose_branches_wrote_formats_1_and_2()
    {
        var text = "<<<<<<< HEAD\nsafe-migrate.sum 1\n" +
                   $"AppContext 20240101000000_Initial 0 {HashA}\nAppContext 20240102000000_Plain 20240101000000_Initial {HashB}\nhead AppContext 20240102000000_Plain\n" +
                   "=======\nsafe-migrate.sum 2\n" +
                   $"AppContext 20240101000000_Initial 0 {HashA}\nAppContext \"20240102000001_With Space\" 20240101000000_Initial {HashC}\nhead AppContext \"20240102000001_With Space\"\n" +
                   ">>>>>>> feature\n";

        var sum = SumFile.ParseMergingConflicts(text);

        Assert.Equal(["20240101000000_Initial", "20240102000000_Plain", "20240102000001_With Space"], sum.Entries.Select(e => e.Id));
        Assert.Throws<SumFileFormatException>(() => SumFile.Parse(text));
    }

    [Fact]
    public void Baseline_lines_need_and_force_format_2()
    {
        var sum = new SumFile([new SumEntry("AppContext", "20230101000000_Initial", [], HashA)], [new SumHead("AppContext", "20230101000000_Initial")], [new SumBaseline("AppContext", "20230101000000_Initial")]);

        var text = sum.Format();

        Assert.StartsWith("safe-migrate.sum 2\n", text, StringComparison.Ordinal);
        Assert.Equal(new SumBaseline("AppContext", "20230101000000_Initial", 6), Assert.Single(SumFile.Parse(text).Baselines));
        Assert.Throws<SumFileFormatException>(() => SumFile.Parse($"safe-migrate.sum 1\nbaseline AppContext 20230101000000_Initial\n"));
    }

    [Fact]
    public void Builder_keeps_a_baseline_and_moves_it_only_when_asked()
    {
        var first = Scan(Migration("20240101000000_Initial"), Migration("20240102000000_AddSku"));
        var baselined = SumFileBuilder.Build(first.Migrations, null, baseline: true);
        var later = Scan(Migration("20240101000000_Initial"), Migration("20240102000000_AddSku"), Migration("20240103000000_AddTags"));

        var kept = SumFileBuilder.Build(later.Migrations, SumFile.Parse(baselined.Format()));
        var moved = SumFileBuilder.Build(later.Migrations, kept, baseline: true);

        Assert.Equal("20240102000000_AddSku", Assert.Single(baselined.Baselines).Id);
        Assert.Equal("20240102000000_AddSku", Assert.Single(kept.Baselines).Id);
        Assert.Equal("20240103000000_AddTags", Assert.Single(moved.Baselines).Id);
    }

    [Fact]
    public void Hash_of_migrations_with_spaces_and_dots_in_their_ids_passes_the_integrity_check()
    {
        var scan = Scan(Migration("20230101000000_Initial"), Migration("20230113175441_Fix Navigation Properties"), Migration("20230201000000_Release.v2-rc"));

        var findings = IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, SumFor(scan), context: null);

        Assert.Empty(findings);
    }
}
