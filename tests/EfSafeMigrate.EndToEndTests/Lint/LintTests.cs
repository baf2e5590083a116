using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;
using static EfSafeMigrate.EndToEndTests.Lint.LintFixture;

namespace EfSafeMigrate.EndToEndTests.Lint;

[ExpectedSeconds(35)]
public class LintTests(ITestOutputHelper output)
{
    [Fact]
    public void Lint_gives_info_only_on_a_small_table_and_errors_with_counts_on_a_big_one()
    {
        var fixture = Project;
        using var session = ToolSession.Create(fixture, output);
        Assert.Equal(0, session.Run("apply", fixture.Id("Initial")).ExitCode);
        InsertItems(session.ConnectionString, 5);

        var small = session.Run("lint", "--database", "--json");

        // Every finding on Items is info; the one error is the emptied Down, whose risk has nothing to do with size.
        Assert.True(small.ExitCode == 1, small.Describe());
        var findings = Findings(ToolSession.Json(small));
        Assert.Equal("error", Severity(Single(findings, "SM521", "AddLastUsedAtEmptyDown")));
        Assert.All(findings.Where(f => f.GetProperty("code").GetString() != "SM521"), f => Assert.Equal("info", Severity(f)));
        foreach (var code in new[] { "SM501", "SM505", "SM507", "SM514", "SM515", "SM518" })
        {
            Assert.Contains(findings, f => f.GetProperty("code").GetString() == code);
        }

        var index = Single(findings, "SM501", "UnsafeChanges");
        Assert.Equal("SHARE", index.GetProperty("lock").GetString());
        Assert.Equal("Items", index.GetProperty("table").GetString());
        Assert.True(index.GetProperty("scansTable").GetBoolean());
        Assert.Equal(5, index.GetProperty("rows").GetInt64());
        Assert.True(index.GetProperty("bytes").GetInt64() > 0);
        Assert.Contains("small", index.GetProperty("reason").GetString());
        Assert.EndsWith("_UnsafeChanges.cs", index.GetProperty("file").GetString());
        Assert.True(index.GetProperty("line").GetInt32() > 10);
        Assert.Contains("IsCreatedConcurrently()", index.GetProperty("fix").GetString());

        // A few hundred thousand rows, three of them too long for the narrowed Name.
        InsertItems(session.ConnectionString, 300_000, offset: 5);
        Pg.Execute(session.ConnectionString, "UPDATE \"Items\" SET \"Name\" = repeat('x', 150) WHERE \"Id\" <= 3; ANALYZE \"Items\";");

        var big = session.Run("lint", "--database", "--json");

        Assert.True(big.ExitCode == 1, big.Describe());
        findings = Findings(ToolSession.Json(big));
        foreach (var code in new[] { "SM501", "SM505", "SM507", "SM514", "SM515" })
        {
            var finding = Single(findings, code, "UnsafeChanges");
            Assert.Equal("error", Severity(finding));
            Assert.True(finding.GetProperty("rows").GetInt64() > 250_000, finding.ToString());
        }

        Assert.Equal(3, Single(findings, "SM514", "UnsafeChanges").GetProperty("failingRows").GetInt64());
        Assert.Equal(0, Single(findings, "SM505", "UnsafeChanges").GetProperty("failingRows").GetInt64());
        Assert.True(Single(findings, "SM507", "UnsafeChanges").GetProperty("rewritesTable").GetBoolean());

        var allowed = Single(findings, "SM501", "AddQuantityIndex");
        Assert.Equal("info", Severity(allowed));
        Assert.Contains("append-only", allowed.GetProperty("suppressed").GetString());

        var check = session.Run("check", "--build", "--database");
        Assert.True(check.ExitCode == 1, check.Describe());
        Assert.Contains("error SM501 ", check.StdOut);
        Assert.Contains("_UnsafeChanges (up) create index IX_Items_Name", check.StdOut);

        var human = session.Run("lint", "--database");
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("_UnsafeChanges (up)", human.StdOut);
        Assert.Contains("error   SM501 line ", human.StdOut);
        Assert.Contains("3 existing row(s) of Items would fail", human.StdOut);
    }

    [Fact]
    public void Apply_refuses_lint_errors_before_the_backup_and_runs_with_allow_unsafe()
    {
        var fixture = Project;
        using var session = ToolSession.Create(fixture, output);
        Assert.Equal(0, session.Run("apply", fixture.Id("Initial")).ExitCode);
        var archives = session.Archives().Count;
        InsertItems(session.ConnectionString, 300_000);

        var refused = session.Run("apply");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("Lint found", refused.StdErr);
        Assert.Contains("SM501", refused.StdErr);
        Assert.Contains("Nothing was changed.", refused.StdErr);
        Assert.Contains("--allow-unsafe", refused.StdErr);
        Assert.Equal([fixture.Id("Initial")], Pg.History(session.ConnectionString));
        Assert.Equal(archives, session.Archives().Count);
        Assert.False(Pg.IndexExists(session.ConnectionString, "IX_Items_Name"));

        var allowed = session.Run("apply", "--allow-unsafe");

        Assert.True(allowed.ExitCode == 0, allowed.Describe());
        Assert.Contains("allowed by --allow-unsafe: SM501", allowed.StdErr);
        Assert.Contains("warning: SM521", allowed.StdErr); // the emptied Down, a warning when applying
        Assert.Equal(fixture.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(archives + 1, session.Archives().Count);
        Assert.True(Pg.IndexExists(session.ConnectionString, "IX_Items_Code"));

        // The suppression comment and the --allow-unsafe decisions are journaled with the run.
        var allowances = Pg.Strings(session.ConnectionString,
            "SELECT \"MigrationId\" || ' ' || \"Code\" || ' ' || \"AllowedBy\" || ' ' || \"Reason\" FROM \"__SafeMigrateLintAllowances\" ORDER BY \"Id\"");
        Assert.Contains(allowances, a => a.StartsWith(fixture.Id("AddQuantityIndex") + " SM501 comment Items is append-only", StringComparison.Ordinal));
        Assert.Contains(allowances, a => a.StartsWith(fixture.Id("UnsafeChanges") + " SM501 allow-unsafe ", StringComparison.Ordinal));
    }

    [Fact]
    public void Rollback_refuses_an_empty_down_and_reverts_with_allow_unsafe()
    {
        var fixture = Project;
        using var session = ToolSession.Create(fixture, output);
        var plan = ToolSession.Json(session.Run("plan", "--json"));
        var unsafeStep = plan.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("migration").GetString() == fixture.Id("UnsafeChanges"));
        var quantity = unsafeStep.GetProperty("operationLocks")[0];
        Assert.Equal("alter column Items.Quantity", quantity.GetProperty("operation").GetString());
        Assert.Equal("ACCESS EXCLUSIVE", quantity.GetProperty("lock").GetString());
        Assert.True(quantity.GetProperty("rewritesTable").GetBoolean());
        Assert.Contains("Items: SHARE, scan", session.Run("plan").StdOut);

        Assert.Equal(0, session.Run("apply").ExitCode);
        var target = fixture.Id("UniqueCodeConcurrently");

        var refused = session.Run("rollback", "--to", target, "--yes");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("SM521", refused.StdErr);
        Assert.Contains("Down has none", refused.StdErr);
        Assert.Equal(fixture.MigrationIds, Pg.History(session.ConnectionString));

        var allowed = session.Run("rollback", "--to", target, "--allow-unsafe", "--yes");

        Assert.True(allowed.ExitCode == 0, allowed.Describe());
        Assert.Equal(fixture.UpTo(target), Pg.History(session.ConnectionString));
        Assert.True(Pg.ColumnExists(session.ConnectionString, "Items", "LastUsedAt"), "the empty Down removed nothing, as lint warned");
    }
}

public class ConcurrentIndexFailureTests(ITestOutputHelper output)
{
    [Fact]
    public void A_failed_concurrent_unique_index_leaves_no_invalid_index_and_the_rerun_applies()
    {
        var fixture = Project;
        using var session = ToolSession.Create(fixture, output);
        Assert.Equal(0, session.Run("apply", fixture.Id("AddQuantityIndex")).ExitCode);
        InsertItems(session.ConnectionString, 20);
        Pg.Execute(session.ConnectionString, "UPDATE \"Items\" SET \"Code\" = 'duplicate' WHERE \"Id\" IN (3, 7);");

        var failed = session.Run("apply");

        Assert.True(failed.ExitCode == 5, failed.Describe());
        Assert.Contains("_UniqueCodeConcurrently", failed.StdErr);
        Assert.Contains("IX_Items_Code", failed.StdErr);
        Assert.Empty(InvalidIndexes(session.ConnectionString));
        Assert.False(Pg.IndexExists(session.ConnectionString, "IX_Items_Code"));
        Assert.Equal(fixture.UpTo(fixture.Id("AddQuantityIndex")), Pg.History(session.ConnectionString));

        Pg.Execute(session.ConnectionString, "UPDATE \"Items\" SET \"Code\" = 'fixed-' || \"Id\" WHERE \"Code\" = 'duplicate';");
        var rerun = session.Run("apply");

        Assert.True(rerun.ExitCode == 0, rerun.Describe());
        Assert.Equal(fixture.MigrationIds, Pg.History(session.ConnectionString));
        Assert.True(Pg.IndexExists(session.ConnectionString, "IX_Items_Code"));
        Assert.Empty(InvalidIndexes(session.ConnectionString));
    }
}
