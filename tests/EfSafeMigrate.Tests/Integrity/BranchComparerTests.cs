using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

public class BranchComparerTests
{
    private const string Initial = "20240101000000_Initial";
    private const string Theirs = "20240103000000_AddTags";
    private const string OursEarly = "20240102000000_AddSku";
    private const string OursLate = "20240104000000_AddSku";

    private static IReadOnlyList<MigrationSource> Of(params string[] ids) => Scan(ids.Select(id => Migration(id)).ToArray()).Migrations;

    [Fact]
    public void Compare_reports_fork_at_merge_and_out_of_order_id()
    {
        var findings = BranchComparer.Compare("origin/main", Of(Initial, OursEarly), Of(Initial, Theirs), Of(Initial), null);

        var fork = Assert.Single(findings, f => f.Code == FindingCodes.ForkAtMerge);
        Assert.Equal([OursEarly, Theirs], fork.Migrations);
        Assert.Contains("origin/main", fork.Message);
        var order = Assert.Single(findings, f => f.Code == FindingCodes.OutOfOrder);
        Assert.Equal([OursEarly, Theirs], order.Migrations);
    }

    [Fact]
    public void Compare_reports_only_the_fork_when_our_id_is_newer()
    {
        var findings = BranchComparer.Compare("main", Of(Initial, OursLate), Of(Initial, Theirs), Of(Initial), null);

        Assert.Equal([FindingCodes.ForkAtMerge], findings.Select(f => f.Code));
    }

    [Fact]
    public void Compare_is_clean_when_only_one_side_added_migrations_or_the_other_side_was_merged_in()
    {
        Assert.Empty(BranchComparer.Compare("main", Of(Initial, OursLate), Of(Initial), Of(Initial), null));
        // After "git merge main", the merge base is main's tip: its migration is no longer "added on both sides".
        Assert.Empty(BranchComparer.Compare("main", Of(Initial, Theirs, OursLate), Of(Initial, Theirs), Of(Initial, Theirs), null));
    }
}
