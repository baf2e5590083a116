using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// <c>check --against REF</c> reads the migrations both sides added since the merge base as syntax (no build) and
/// reports each object both touch (SM203) with both migrations, both operations with file and line, and the fix; on
/// the <see cref="TwoBranchRepo"/> plus a third branch whose hand-written migration adds <c>Customers.Phone</c> (as
/// <c>feature-a</c> does) and backfills <c>Products.Weight</c> with SQL (the column <c>feature-b</c> adds).
/// </summary>
public sealed class SemanticConflictTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private const string BranchC = "feature-c";
    private const string IdC = "20991231000000_CustomerPhoneAndWeights";
    private const string FileC = GitSandbox.Migrations + "/" + IdC + ".cs";

    [Fact]
    public void Check_against_names_the_column_both_sides_touch_with_both_operations_and_places()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        AddBranchC(repo);
        var fileA = $"{GitSandbox.Migrations}/{branches.IdA}.cs";

        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var onA = repo.Check("--against", BranchC);

        Assert.True(onA.ExitCode == 1, onA.ToString());
        onA.Single("SM201");
        var phone = onA.Single("SM203");
        Assert.Equal("error", phone.Severity);
        Assert.Equal([branches.IdA, IdC], phone.Migrations);
        Assert.Equal(fileA, phone.File);
        Assert.Contains("column Customers.Phone", phone.Message);
        Assert.Contains($"'{branches.IdA}' add column Customers.Phone ({fileA}:{LineOf(repo, fileA, "migrationBuilder.AddColumn")})", phone.Message);
        Assert.Contains($"'{IdC}' add column Customers.Phone ({BranchC}:{FileC}:13)", phone.Message);
        Assert.Contains($"git merge {BranchC}", phone.Fix);
        Assert.Contains($"dotnet safe-migrate merge --rebase {branches.IdA}", phone.Fix);

        // The same from the other branch: B's new column is used by C's SQL.
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchB);
        var onB = repo.Check("--against", BranchC);
        Assert.True(onB.ExitCode == 1, onB.ToString());
        var weight = onB.Single("SM203");
        Assert.Equal([branches.IdB, IdC], weight.Migrations);
        Assert.Contains("column Products.Weight", weight.Message);
        Assert.Contains($"'{IdC}' sql \"UPDATE \"Products\" SET \"Weight\" = 0 WHERE \"Weight\" IS NULL;\" ({BranchC}:{FileC}:14)", weight.Message);

        // Human output: the finding with its place, then the fix; exit 1.
        var text = repo.Tool("check", "--against", BranchC);
        Assert.True(text.ExitCode == 1, text.Describe());
        Assert.Contains($"error SM203 {GitSandbox.Migrations}/{branches.IdB}.cs:", text.StdOut);
        Assert.Contains($"fix: Bring {BranchC} into this branch", text.StdOut);

        // Branches that change different tables fork, but share nothing: no SM203.
        var independent = repo.Check("--against", TwoBranchRepo.BranchA);
        Assert.True(independent.ExitCode == 1, independent.ToString());
        independent.Single("SM201");
        Assert.Empty(independent.WithCode("SM203"));
    }

    [Fact]
    public void Check_staged_against_reads_this_side_from_the_index()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        AddBranchC(repo);
        repo.GitOk("checkout", "-q", "-b", "feature-d", GitSandbox.Branch);
        WriteMigration(repo, "20991230000000_ChangeCustomerEmail", """migrationBuilder.DropColumn(name: "Email", table: "Customers");""");
        repo.GitOk("add", GitSandbox.Migrations + "/20991230000000_ChangeCustomerEmail.cs");
        // The working tree now renames Customers.Email to Phone (the column feature-c adds), but that is not staged.
        WriteMigration(repo, "20991230000000_ChangeCustomerEmail", """migrationBuilder.RenameColumn("Email", "Customers", "Phone");""");

        var staged = repo.Check("--staged", "--against", BranchC);

        Assert.True(staged.ExitCode == 1, staged.ToString());
        staged.Single("SM201");
        Assert.Empty(staged.WithCode("SM203")); // the staged migration drops Customers.Email, which feature-c does not touch
        var workingTree = repo.Check("--against", BranchC);
        Assert.Contains("column Customers.Phone", workingTree.Single("SM203").Message);

        repo.GitOk("add", GitSandbox.Migrations + "/20991230000000_ChangeCustomerEmail.cs");
        var renamed = repo.Check("--staged", "--against", BranchC);

        Assert.True(renamed.ExitCode == 1, renamed.ToString());
        var conflict = renamed.Single("SM203");
        Assert.Contains("column Customers.Phone", conflict.Message);
        Assert.Contains("rename column Customers.Email → Phone", conflict.Message);
        Assert.Equal(["20991230000000_ChangeCustomerEmail", IdC], conflict.Migrations);
    }

    private static void AddBranchC(GitSandbox repo)
    {
        repo.GitOk("checkout", "-q", "-b", BranchC, GitSandbox.Branch);
        WriteMigration(repo, IdC, """
                        migrationBuilder.AddColumn<string>("Phone", "Customers", "character varying(20)", nullable: true);
                        migrationBuilder.Sql("UPDATE \"Products\" SET \"Weight\" = 0 WHERE \"Weight\" IS NULL;");
            """);
        repo.ToolOk("hash");
        repo.CommitAll("Hand-written migration touching Customers.Phone and Products.Weight");
    }

    // A migration in one file (both attributes on the class, as some projects keep them); Up's body starts on line 13.
    private static void WriteMigration(GitSandbox repo, string id, string up) => repo.Write($"{GitSandbox.Migrations}/{id}.cs", $$"""
        using Microsoft.EntityFrameworkCore.Infrastructure;
        using Microsoft.EntityFrameworkCore.Migrations;

        namespace Shop.Migrations
        {
            [DbContext(typeof(Shop.ShopContext))]
            [Migration("{{id}}")]
            public partial class M{{id[..14]}} : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
        {{up}}
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
                }
            }
        }

        """);

    private static int LineOf(GitSandbox repo, string file, string text)
        => repo.Read(file).Split('\n').Select((line, index) => (line, index)).First(l => l.line.Contains(text, StringComparison.Ordinal)).index + 1;
}
