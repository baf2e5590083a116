using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// One developer's history in a real repository: a migration edited after a database applied it (the journal's
/// checksum, SM402), and <c>add</c> then <c>remove</c> keeping safe-migrate.sum in step.
/// </summary>
[ExpectedSeconds(30)]
public sealed class MigrationLifecycleTests(ITestOutputHelper output)
{
    [Fact]
    public void Check_connection_reports_migration_edited_after_it_was_applied()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        using var database = E2eDatabase.Create();
        output.WriteLine($"database {database.Name}");
        var cs = database.ConnectionString;
        repo.ToolOk("apply", "--connection", cs, "--no-backup");
        Assert.Equal(repo.MigrationIds, Pg.History(cs));

        // Edit the Up body of an applied migration.
        var edited = repo.MigrationIds[1];
        Assert.EndsWith("_AddProductSku", edited);
        repo.Edit($"{GitSandbox.Migrations}/{edited}.cs", "                nullable: true);\n",
            "                nullable: true);\n\n            migrationBuilder.Sql(\"UPDATE \\\"Products\\\" SET \\\"Sku\\\" = NULL;\");\n");

        var check = repo.Check("--connection", cs);

        Assert.True(check.ExitCode == 1, check.ToString());
        var afterApply = check.Single("SM402");
        Assert.Equal("error", afterApply.Severity);
        Assert.Equal([edited], afterApply.Migrations);
        Assert.Contains("edited after it was applied", afterApply.Message);
        Assert.Equal([edited], check.Single("SM102").Migrations); // the integrity file sees the edit too

        // Accepting the edit in safe-migrate.sum does not hide it from the database tier: the journal has the checksum at apply.
        repo.ToolOk("hash");
        var rehashed = repo.Check("--connection", cs, "--no-build");

        Assert.True(rehashed.ExitCode == 1, rehashed.ToString());
        Assert.Equal([edited], rehashed.Single("SM402").Migrations);
        Assert.Equal(["SM402"], rehashed.ErrorFindings.Select(f => f.Code));
        Assert.Empty(repo.Check().Findings); // the files alone are consistent again
    }

    [Fact]
    public void Add_then_remove_keeps_safe_migrate_sum_in_step()
    {
        using var repo = GitSandbox.CreateFromShop(output.WriteLine);
        var originalSum = repo.Read(GitSandbox.SumFile);
        var originalSnapshot = repo.Read(GitSandbox.Snapshot);
        var before = repo.MigrationIds;
        var head = before[^1];
        Assert.EndsWith($"head ShopContext {head}\n", originalSum);

        repo.AddProperty("Category", "public string Name { get; set; } = \"\";", "public string? Description { get; set; }");
        repo.ToolOk("add", "AddCategoryDescription");

        var added = Assert.Single(repo.NewIds(before));
        Assert.EndsWith("_AddCategoryDescription", added);
        var sum = repo.Read(GitSandbox.SumFile);
        var withoutHead = originalSum[..originalSum.LastIndexOf("head ", StringComparison.Ordinal)];
        Assert.StartsWith(withoutHead, sum);
        Assert.Matches(new Regex($"^ShopContext {added} {head} [0-9a-f]{{64}}\nhead ShopContext {added}\n$"), sum[withoutHead.Length..]);
        var afterAdd = repo.Check();
        Assert.True(afterAdd.ExitCode == 0 && afterAdd.Findings.Count == 0, afterAdd.ToString());

        using var database = E2eDatabase.Create(); // empty: the migration was never applied
        output.WriteLine($"database {database.Name}");
        repo.ToolOk("remove", "--connection", database.ConnectionString);

        Assert.Equal(before, repo.MigrationIds);
        Assert.Equal(originalSum, repo.Read(GitSandbox.SumFile));
        // EF Core regenerates the snapshot from the previous migration's target model, and writes ToTable("X", (string)null)
        // where 'migrations add' wrote ToTable("X") (dotnet/efcore#26067, as 'dotnet ef migrations remove' does): the same model.
        Assert.Equal(originalSnapshot, repo.Read(GitSandbox.Snapshot).Replace(", (string)null)", ")", StringComparison.Ordinal));
        var afterRemove = repo.Check();
        Assert.True(afterRemove.ExitCode == 0 && afterRemove.Findings.Count == 0, afterRemove.ToString());
    }
}
