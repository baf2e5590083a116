using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

public class IntegrityCheckerTests
{
    private const string Initial = "20240101000000_Initial";
    private const string AddSku = "20240102000000_AddSku";
    private const string AddTags = "20240102000001_AddTags";

    private static IReadOnlyList<Finding> Check(MigrationScan scan, string? sum, string? context = null)
        => IntegrityChecker.Check(Folder, scan.Migrations, scan.Snapshots, sum, context);

    [Fact]
    public void Check_finds_nothing_in_a_clean_linear_history()
    {
        var scan = Scan(Migration(Initial), Migration(AddSku), [Snapshot()]);

        Assert.Empty(Check(scan, SumFor(scan)));
    }

    [Fact]
    public void Check_reports_missing_sum_file_with_hash_as_fix()
    {
        var finding = Assert.Single(Check(Scan(Migration(Initial)), sum: null));

        Assert.Equal(FindingCodes.SumFileMissing, finding.Code);
        Assert.Equal($"{Folder}/safe-migrate.sum", finding.File);
        Assert.Contains("dotnet safe-migrate hash", finding.Fix);
    }

    [Fact]
    public void Check_reports_migration_added_without_updating_sum_file()
    {
        var sum = SumFor(Scan(Migration(Initial)));

        var finding = Assert.Single(Check(Scan(Migration(Initial), Migration(AddSku)), sum));

        Assert.Equal(FindingCodes.MigrationNotRecorded, finding.Code);
        Assert.Equal([AddSku], finding.Migrations);
        Assert.Equal($"{Folder}/{AddSku}.cs", finding.File);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Check_reports_edited_migration()
    {
        var sum = SumFor(Scan(Migration(Initial)));

        var finding = Assert.Single(Check(Scan([MigrationFile(Initial, body: "migrationBuilder.Sql(\"DROP TABLE x;\");"), DesignerFile(Initial)]), sum));

        Assert.Equal(FindingCodes.MigrationEdited, finding.Code);
        Assert.Contains("safe-migrate.sum:4", finding.Message);
    }

    [Fact]
    public void Check_reports_removed_migration_at_its_sum_line()
    {
        var sum = SumFor(Scan(Migration(Initial), Migration(AddSku)));

        var finding = Assert.Single(Check(Scan(Migration(Initial)), sum), f => f.Code == FindingCodes.MigrationRemoved);

        Assert.Equal([AddSku], finding.Migrations);
        Assert.Equal(5, finding.Line); // format line, two comment lines, Initial, AddSku
    }

    [Fact]
    public void Check_reports_fork_naming_both_migrations()
    {
        var scan = Scan(Migration(Initial), Migration(AddSku), Migration(AddTags));
        var sum = new SumFile(
            [
                new SumEntry("AppContext", Initial, [], scan.Migrations[0].Hash),
                new SumEntry("AppContext", AddSku, [Initial], scan.Migrations[1].Hash),
                new SumEntry("AppContext", AddTags, [Initial], scan.Migrations[2].Hash),
            ],
            [new SumHead("AppContext", AddTags)]).Format();

        var findings = Check(scan, sum);

        var fork = Assert.Single(findings, f => f.Code == FindingCodes.Fork);
        Assert.Equal([AddSku, AddTags], fork.Migrations);
        Assert.Contains(Initial, fork.Message);
        Assert.DoesNotContain(findings, f => f.Code == FindingCodes.MultipleHeads);
    }

    [Fact]
    public void Check_reports_wrong_head_line()
    {
        var scan = Scan(Migration(Initial), Migration(AddSku));
        var sum = SumFor(scan).Replace($"head AppContext {AddSku}", $"head AppContext {Initial}");

        var finding = Assert.Single(Check(scan, sum));

        Assert.Equal(FindingCodes.WrongHeadLine, finding.Code);
        Assert.Equal([AddSku], finding.Migrations);
    }

    [Fact]
    public void Check_reports_duplicate_ids()
    {
        var copy = new SourceFile($"{Folder}/Copy.cs", DesignerFile(Initial).Content.Replace("partial class Initial", "partial class Copy : Migration"));
        var scan = Scan(Migration(Initial), [copy]);

        Assert.Contains(Check(scan, SumFor(scan)), f => f.Code == FindingCodes.DuplicateId && f.Migrations.SequenceEqual([Initial]));
    }

    [Fact]
    public void Check_reports_class_without_migration_attribute_at_its_declaration()
    {
        var scan = Scan(Migration(Initial), [MigrationFile(AddSku)]);

        var finding = Assert.Single(Check(scan, SumFor(scan)), f => f.Code == FindingCodes.MissingMigrationAttribute);

        Assert.Equal($"{Folder}/{AddSku}.cs", finding.File);
        Assert.Equal(8, finding.Line);
    }

    [Fact]
    public void Check_reports_snapshot_conflict_markers_with_first_line()
    {
        var scan = Scan(Migration(Initial), [Snapshot(body: "<<<<<<< HEAD\n=======\n>>>>>>> other\n")]);

        var finding = Assert.Single(Check(scan, SumFor(scan)));

        Assert.Equal(FindingCodes.SnapshotConflict, finding.Code);
        Assert.Equal(8, finding.Line);
    }

    [Fact]
    public void Check_reports_conflicted_sum_file_and_malformed_sum_file()
    {
        var scan = Scan(Migration(Initial));

        Assert.Equal(FindingCodes.SumFileConflict, Assert.Single(Check(scan, "safe-migrate.sum 1\n<<<<<<< HEAD\n=======\n>>>>>>> b\n")).Code);
        Assert.Equal(FindingCodes.SumFileMalformed, Assert.Single(Check(scan, "nonsense\n")).Code);
    }

    [Fact]
    public void Check_with_context_ignores_other_contexts()
    {
        var scan = Scan(Migration(Initial, "AppContext"), Migration(AddSku, "AuditContext"));
        var sum = SumFileBuilder.Build(scan.Migrations.Where(m => m.Context == "AppContext").ToList(), null).Format();

        Assert.Empty(Check(scan, sum, context: "App.Data.AppContext"));
        Assert.Contains(Check(scan, sum), f => f.Code == FindingCodes.MigrationNotRecorded && f.Migrations.SequenceEqual([AddSku]));
    }
}
