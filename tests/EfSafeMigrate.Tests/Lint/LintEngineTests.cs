using EfSafeMigrate.Lint;
using EfSafeMigrate.Lint.Rules;
using static EfSafeMigrate.Tests.Lint.LintTestMigrations;

namespace EfSafeMigrate.Tests.Lint;

public class LintEngineTests
{
    private const string Source = """
        using Microsoft.EntityFrameworkCore.Migrations;

        public partial class Test : Migration
        {
            protected override void Up(MigrationBuilder migrationBuilder)
            {
                // safe-migrate: allow SM501 the table holds twelve rows forever
                migrationBuilder.CreateIndex(
                    name: "IX_Items_Name",
                    table: "Items",
                    column: "Name");

                migrationBuilder.Sql("UPDATE \"Items\" SET x = 1;"); // safe-migrate: allow SM515
                migrationBuilder.DropColumn(name: "Legacy", table: "Items");
            }

            protected override void Down(MigrationBuilder migrationBuilder)
            {
                migrationBuilder.AddColumn<int>(name: "Legacy", table: "Items", nullable: true);
                migrationBuilder.DropIndex(name: "IX_Items_Name", table: "Items");
            }
        }
        """;

    private static LintMigration FromSource() => Up(
        b =>
        {
            b.CreateIndex("IX_Items_Name", "Items", "Name");
            b.Sql("UPDATE \"Items\" SET x = 1;");
            b.DropColumn("Legacy", "Items");
        },
        b =>
        {
            b.AddColumn<int>("Legacy", "Items", nullable: true);
            b.DropIndex("IX_Items_Name", "Items");
        },
        source: Source);

    [Fact]
    public void Findings_carry_the_line_of_their_operation_call()
    {
        var findings = RunLint(FromSource());
        Assert.Equal([("SM501", 8), ("SM515", 13), ("SM518", 13), ("SM512", 14)], findings.Select(f => (f.Code, f.Line ?? 0)).ToList());
        Assert.All(findings, f => Assert.Equal("Migrations/20260101000000_Test.cs", f.File));
    }

    [Fact]
    public void A_suppression_with_a_reason_makes_the_finding_info_and_keeps_the_reason()
    {
        var finding = RunLint(FromSource()).Single(f => f.Code == "SM501");
        Assert.Equal(LintSeverity.Info, finding.Severity);
        Assert.Equal("the table holds twelve rows forever", finding.Suppressed);
    }

    [Fact]
    public void A_suppression_without_a_reason_is_not_honoured()
    {
        var finding = RunLint(FromSource()).Single(f => f.Code == "SM515");
        Assert.Equal(LintSeverity.Error, finding.Severity);
        Assert.Null(finding.Suppressed);
        Assert.Contains("gives no reason", finding.Reason);
    }

    [Fact]
    public void Configured_severities_replace_the_defaults()
    {
        var options = new LintOptions { SeverityOverrides = new Dictionary<string, LintSeverity> { ["SM512"] = LintSeverity.Warning } };
        var finding = RunLint(FromSource(), options).Single(f => f.Code == "SM512");
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Contains("configuration", finding.Reason);
    }

    [Fact]
    public void Tables_created_earlier_in_the_migration_get_no_lock_findings_but_later_tables_do()
    {
        var codes = UpCodes(b =>
        {
            b.CreateIndex("IX_Items_Name", "Items", "Name"); // before the CreateTable: Items is an existing table here
            Items(b);
            b.CreateIndex("IX_Items_Name2", "Items", "Name");
            b.AddForeignKey("FK_Items_Other", "Items", "OtherId", "Other");
        });
        Assert.Equal(["SM501"], codes);
    }

    [Fact]
    public void Registry_refuses_a_duplicate_code()
    {
        var registry = new LintRuleRegistry().Add(new DropColumn());
        var error = Assert.Throws<ArgumentException>(() => registry.Add(new DropColumn()));
        Assert.Contains("SM512 is registered twice", error.Message);
    }

    [Fact]
    public void Default_registry_has_unique_codes_with_titles()
    {
        var rules = LintRuleRegistry.CreateDefault().Rules;
        Assert.Equal(rules.Count, rules.Select(r => r.Code).Distinct().Count());
        Assert.All(rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Title)));
    }

    [Fact]
    public void Reverting_lints_the_down_operations()
    {
        var migration = FromSource() with { IsRevert = true };
        migration = migration with { Operations = migration.Counterpart, Counterpart = migration.Operations };
        var findings = RunLint(migration);
        Assert.Contains(findings, f => f.Code == "SM502" && f.Direction == "down" && f.Line == 20);
    }
}
