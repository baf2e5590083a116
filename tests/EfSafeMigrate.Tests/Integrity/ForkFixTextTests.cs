using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

/// <summary>Every fork-related finding gives the README's one path: <c>merge</c>, or <c>merge --rebase</c> (issue 9, item 12).</summary>
public class ForkFixTextTests
{
    private const string Initial = "20240101000000_Initial";
    private const string AddSku = "20240102000000_AddSku";
    private const string AddTags = "20240102000001_AddTags";

    [Fact]
    public void Fork_SM104_fix_is_merge_or_merge_rebase()
    {
        var scan = Scan(Migration(Initial), Migration(AddSku), Migration(AddTags));
        var sum = new SumFile(
            [
                new SumEntry("AppContext", Initial, [], scan.Migrations[0].Hash),
                new SumEntry("AppContext", AddSku, [Initial], scan.Migrations[1].Hash),
                new SumEntry("AppContext", AddTags, [Initial], scan.Migrations[2].Hash),
            ],
            [new SumHead("AppContext", AddTags)]).Format();

        var fork = Assert.Single(IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, sum, null), f => f.Code == FindingCodes.Fork);

        AssertBestPath(fork.Fix);
    }

    [Fact]
    public void Sum_conflict_SM111_fix_is_merge_on_the_file_as_it_is_or_merge_rebase()
    {
        var scan = Scan(Migration(Initial));

        var conflict = Assert.Single(IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, "safe-migrate.sum 1\n<<<<<<< HEAD\n=======\n>>>>>>> b\n", null));

        Assert.Equal(FindingCodes.SumFileConflict, conflict.Code);
        Assert.DoesNotContain("safe-migrate hash", conflict.Fix); // one path: merge reads both sides itself (issue 14 item 3)
        Assert.Contains("reads both sides of the conflict from the file as it is", conflict.Fix);
        AssertBestPath(conflict.Fix);
    }

    [Fact]
    public void Unrecorded_migration_SM101_fix_names_merge_for_a_merge_resolved_by_picking_a_side()
    {
        var scan = Scan(Migration(Initial), Migration(AddSku));
        var sum = new SumFile([new SumEntry("AppContext", Initial, [], scan.Migrations[0].Hash)], [new SumHead("AppContext", Initial)]).Format();

        var unrecorded = Assert.Single(IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, sum, null));

        Assert.Equal(FindingCodes.MigrationNotRecorded, unrecorded.Code);
        Assert.StartsWith("After a git merge (the file resolved by picking one side): dotnet safe-migrate merge, which recovers the other side's recorded parents from git", unrecorded.Fix);
    }

    private static void AssertBestPath(string? fix)
    {
        Assert.NotNull(fix);
        Assert.Contains("'dotnet safe-migrate merge'", fix);
        Assert.Contains("'dotnet safe-migrate merge --rebase' moves your branch's migrations", fix);
        Assert.DoesNotContain("add it again", fix);
        Assert.DoesNotContain("safe-migrate remove", fix);
    }
}
