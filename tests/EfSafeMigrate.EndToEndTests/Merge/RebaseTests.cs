using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>merge --rebase</c> after a real git merge of two branches that renamed the same column (which <c>merge</c>
/// refuses): this branch's migration is moved after the other branch's head under a new id, its <c>Up</c>
/// re-scaffolded against the other head's model; a database that applied it under the old id gets the new id in
/// its history, so it is not applied again; a fresh database applies everything.
/// </summary>
[Collection(E2eRun.Collection)]
public sealed class RebaseTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    [Fact]
    public void Rebase_moves_this_branchs_rename_after_the_other_and_renames_it_in_an_applied_database()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        using var withA = E2eDatabase.Create();
        using var fresh = E2eDatabase.Create();
        const string mapping = "customer.Property(c => c.FullName).HasMaxLength(200);";
        var renameA = AddOnBranch(repo, "rename-a", mapping, mapping.Replace(";", ".HasColumnName(\"Name\");"), "RenameFullNameToName");
        var renameB = AddOnBranch(repo, "rename-b", mapping, mapping.Replace(";", ".HasColumnName(\"DisplayName\");"), "RenameFullNameToDisplayName");

        // Branch A deployed before the git merge.
        repo.GitOk("checkout", "-q", "rename-a");
        repo.ToolOk("apply", "--connection", withA.ConnectionString, "--no-backup");
        Assert.Equal([.. branches.MainIds, renameA], Pg.History(withA.ConnectionString));

        // The git merge, resolved by taking this branch's side of the code and 'hash' on safe-migrate.sum as it is.
        var gitMerge = repo.Git("merge", "--no-edit", "rename-b");
        Assert.True(gitMerge.ExitCode == 1, gitMerge.Describe());
        foreach (var file in repo.ConflictedFiles().Where(f => f != GitSandbox.SumFile))
        {
            repo.GitOk("checkout", "--ours", "--", file);
        }

        repo.ToolOk("hash");
        repo.CommitAll("Merge rename-b into rename-a");
        var merge = repo.Tool("merge");
        Assert.True(merge.ExitCode == 1, merge.Describe());

        var rebase = repo.Tool("merge", "--rebase", "RenameFullNameToName", "--connection", withA.ConnectionString, "--json");

        Assert.True(rebase.ExitCode == 0, rebase.Describe());
        using var document = JsonDocument.Parse(rebase.StdOut);
        var result = document.RootElement;
        Assert.Equal(renameA, result.GetProperty("oldMigrationId").GetString());
        var newId = result.GetProperty("migrationId").GetString()!;
        Assert.EndsWith("_RenameFullNameToName", newId);
        Assert.True(string.CompareOrdinal(newId, renameB) > 0, $"{newId} must sort after {renameB}");
        Assert.Equal(renameB, result.GetProperty("parent").GetString());
        Assert.True(result.GetProperty("historyRenamed").GetBoolean(), rebase.Describe());
        Assert.Equal([.. branches.MainIds, renameB, newId], repo.MigrationIds);

        // The new Up renames B's column to A's; the designer and snapshot are the code model.
        var migration = repo.Read($"{GitSandbox.Migrations}/{newId}.cs");
        Assert.Contains("RenameColumn(", migration);
        Assert.Contains("name: \"DisplayName\"", migration);
        Assert.Contains("newName: \"Name\"", migration);
        Assert.Contains($"[Migration(\"{newId}\")]", repo.Read($"{GitSandbox.Migrations}/{newId}.Designer.cs"));
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.DoesNotContain(renameA, sum);
        Assert.Contains($"ShopContext {newId} {renameB} ", sum);

        var check = repo.Check();
        Assert.True(check.ExitCode == 0 && check.Errors == 0, $"check after rebase: {check}");
        var build = repo.Check("--build");
        Assert.DoesNotContain(build.ErrorFindings, f => f.Code.StartsWith("SM30", StringComparison.Ordinal));

        // The database that applied A has the new id, and A' is not pending there (B's migration is).
        var history = Pg.History(withA.ConnectionString);
        Assert.Contains(newId, history);
        Assert.DoesNotContain(renameA, history);
        var status = repo.Tool("status", "--connection", withA.ConnectionString, "--json", "--no-build");
        using var statusJson = JsonDocument.Parse(status.StdOut);
        var statuses = statusJson.RootElement.GetProperty("migrations").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("status").GetString());
        Assert.Equal("applied", statuses[newId]);
        Assert.NotEqual("applied", statuses[renameB]);

        // A fresh database applies everything and ends with A's column.
        var apply = repo.Tool("apply", "--connection", fresh.ConnectionString, "--no-backup", "--no-build");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(repo.MigrationIds, Pg.History(fresh.ConnectionString));
        Assert.True(Pg.ColumnExists(fresh.ConnectionString, "Customers", "Name"));
        Assert.False(Pg.ColumnExists(fresh.ConnectionString, "Customers", "DisplayName"));
    }

    // A branch from main with one edit of ShopContext.cs and the migration 'add' makes for it.
    private static string AddOnBranch(GitSandbox repo, string branch, string line, string replacement, string name)
    {
        repo.GitOk("checkout", "-q", "-b", branch, GitSandbox.Branch);
        var before = repo.MigrationIds;
        repo.Edit("Shop/ShopContext.cs", line, replacement);
        repo.ToolOk("add", name);
        var added = Assert.Single(repo.NewIds(before));
        repo.CommitAll(name);
        return added;
    }
}
