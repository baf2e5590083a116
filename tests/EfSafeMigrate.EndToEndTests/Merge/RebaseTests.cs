using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>merge --rebase</c> after a real git merge of two branches that renamed the same column (which <c>merge</c>
/// refuses): this branch's migration is moved after the other branch's head under a new id, its <c>Up</c>
/// re-scaffolded against the other head's model; a database that applied it under the old id gets the new id in
/// its history, so it is not applied again; a fresh database applies everything.
/// </summary>
[ExpectedSeconds(85)]
public sealed class RebaseTests(TwoBranchRepo repositories, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private RenameBranches Branches => repositories.Renames;

    [Fact]
    public void Rebase_moves_this_branchs_rename_after_the_other_and_renames_it_in_an_applied_database()
    {
        using var repo = Branches.Repo.Clone(output.WriteLine);
        using var withA = E2eDatabase.Create();
        using var fresh = E2eDatabase.Create();
        var (renameA, renameB) = (Branches.RenameA, Branches.RenameB);

        // Branch A deployed before the git merge.
        repo.GitOk("checkout", "-q", "rename-a");
        repo.ToolOk("apply", "--connection", withA.ConnectionString, "--no-backup");
        Assert.Equal([.. Branches.MainIds, renameA], Pg.History(withA.ConnectionString));

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
        Assert.Null(MachineOutputSchemas.Problems("merge", rebase.StdOut));
        using var document = JsonDocument.Parse(rebase.StdOut);
        var result = document.RootElement;
        Assert.Equal(renameA, result.GetProperty("oldMigrationId").GetString());
        var newId = result.GetProperty("migrationId").GetString()!;
        Assert.EndsWith("_RenameFullNameToName", newId);
        Assert.True(string.CompareOrdinal(newId, renameB) > 0, $"{newId} must sort after {renameB}");
        Assert.Equal(renameB, result.GetProperty("parent").GetString());
        Assert.True(result.GetProperty("historyRenamed").GetBoolean(), rebase.Describe());
        Assert.Equal([.. Branches.MainIds, renameB, newId], repo.MigrationIds);

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

    [Fact]
    public void Rebase_keeps_a_Sql_backfill_in_its_place_and_appends_one_journal_row_for_the_rename()
    {
        using var repo = Branches.Repo.Clone(output.WriteLine);
        using var withA = E2eDatabase.Create();
        using var fresh = E2eDatabase.Create();
        const string backfill = "migrationBuilder.Sql(\"UPDATE \\\"Customers\\\" SET \\\"Name\\\" = btrim(\\\"Name\\\");\");";
        var renameA = EditOnBranch(repo, RenameBranches.BranchA, Branches.RenameA,
            migration => migration.Replace("newName: \"Name\");\n", "newName: \"Name\");\n\n            " + backfill + "\n"));
        var renameB = Branches.RenameB;
        repo.GitOk("checkout", "-q", "rename-a");
        repo.ToolOk("apply", "--connection", withA.ConnectionString, "--no-backup");
        var journalBefore = Journal(withA.ConnectionString);
        Assert.Contains(journalBefore, r => r.StartsWith(renameA + "|apply|", StringComparison.Ordinal));
        MergeTakingOurs(repo);

        var rebase = repo.Tool("merge", "--rebase", "RenameFullNameToName", "--connection", withA.ConnectionString, "--json");

        Assert.True(rebase.ExitCode == 0, rebase.Describe());
        using var document = JsonDocument.Parse(rebase.StdOut);
        var newId = document.RootElement.GetProperty("migrationId").GetString()!;
        Assert.True(document.RootElement.GetProperty("journalRecorded").GetBoolean(), rebase.Describe());
        var kept = Assert.Single(document.RootElement.GetProperty("keptOperations").EnumerateArray());
        Assert.StartsWith($"{renameA} Up operation 2 (sql", kept.GetString());

        // The Sql(...) is in the new Up, right after the rename it followed (now from B's column), not in Down.
        var migration = repo.Read($"{GitSandbox.Migrations}/{newId}.cs");
        var up = migration[..migration.IndexOf("protected override void Down", StringComparison.Ordinal)];
        var rename = up.IndexOf("RenameColumn(", StringComparison.Ordinal);
        var sql = up.IndexOf("migrationBuilder.Sql(", StringComparison.Ordinal);
        Assert.True(rename >= 0 && sql > rename, migration);
        Assert.Contains("btrim", up[sql..]);
        Assert.DoesNotContain("migrationBuilder.Sql(", migration[up.Length..]);
        Assert.False(File.Exists(repo.FullPath($"{GitSandbox.Migrations}/{renameA}.cs")));
        Assert.Equal(renameB, document.RootElement.GetProperty("parent").GetString());
        var check = repo.Check();
        Assert.True(check.ExitCode == 0, check.ToString());

        // The journal is append-only: A's rows are unchanged, and one 'rebase' row names the old id.
        var journalAfter = Journal(withA.ConnectionString);
        Assert.Equal(journalBefore, journalAfter.Take(journalBefore.Count));
        var appended = Assert.Single(journalAfter.Skip(journalBefore.Count));
        Assert.StartsWith($"{newId}|rebase|", appended);
        Assert.Contains(renameA, appended);
        var checkDatabase = repo.Check("--connection", withA.ConnectionString);
        Assert.DoesNotContain(checkDatabase.Findings, f => f.Code == "SM402");

        // A fresh database runs the kept backfill after the rename.
        var apply = repo.Tool("apply", "--connection", fresh.ConnectionString, "--no-backup", "--no-build");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(repo.MigrationIds, Pg.History(fresh.ConnectionString));
        Assert.True(Pg.ColumnExists(fresh.ConnectionString, "Customers", "Name"));
    }

    [Fact]
    public void Rebase_refuses_naming_a_Sql_that_uses_the_column_the_other_branch_renamed_and_changes_nothing()
    {
        using var repo = Branches.Repo.Clone(output.WriteLine);
        const string trim = "migrationBuilder.Sql(\"UPDATE \\\"Customers\\\" SET \\\"FullName\\\" = btrim(\\\"FullName\\\");\");";
        var renameA = EditOnBranch(repo, RenameBranches.BranchA, Branches.RenameA,
            migration => migration.Replace("            migrationBuilder.RenameColumn(\n                name: \"FullName\"",
                "            " + trim + "\n\n            migrationBuilder.RenameColumn(\n                name: \"FullName\""));
        var renameB = Branches.RenameB;
        repo.GitOk("checkout", "-q", "rename-a");
        MergeTakingOurs(repo);
        var migrationsBefore = Directory.GetFiles(repo.FullPath(GitSandbox.Migrations)).Order().ToList();
        var sumBefore = repo.Read(GitSandbox.SumFile);

        var rebase = repo.Tool("merge", "--rebase", "RenameFullNameToName");

        Assert.True(rebase.ExitCode == 1, rebase.Describe());
        var said = rebase.StdOut + rebase.StdErr;
        Assert.Contains($"{renameA} Up operation 1 (sql", said);
        Assert.Contains("Customers.FullName", said);
        Assert.Contains(renameB, said);
        Assert.Contains("Nothing was changed", said);
        Assert.Equal(migrationsBefore, Directory.GetFiles(repo.FullPath(GitSandbox.Migrations)).Order().ToList());
        Assert.Equal(sumBefore, repo.Read(GitSandbox.SumFile));
    }

    // Id|MigrationId|Action|Checksum|Reason of each journal row, in order.
    private static List<string> Journal(string connectionString)
        => Pg.Strings(connectionString, "SELECT \"Id\" || '|' || \"MigrationId\" || '|' || \"Action\" || '|' || coalesce(\"Checksum\", '') || '|' || coalesce(\"Reason\", '') FROM \"__SafeMigrateJournal\" ORDER BY \"Id\"")
            .Select(r => r[(r.IndexOf('|') + 1)..]).ToList();

    // The git merge of rename-b into the checked-out rename-a, resolved by taking this branch's side of the code and 'hash' on safe-migrate.sum as it is.
    private static void MergeTakingOurs(GitSandbox repo)
    {
        var gitMerge = repo.Git("merge", "--no-edit", "rename-b");
        Assert.True(gitMerge.ExitCode == 1, gitMerge.Describe());
        foreach (var file in repo.ConflictedFiles().Where(f => f != GitSandbox.SumFile))
        {
            repo.GitOk("checkout", "--ours", "--", file);
        }

        repo.ToolOk("hash");
        repo.CommitAll("Merge rename-b into rename-a");
    }

    // The branch's migration (made by RenameBranches) edited by hand with editMigration, then 'hash' and a commit.
    private static string EditOnBranch(GitSandbox repo, string branch, string migrationId, Func<string, string> editMigration)
    {
        repo.GitOk("checkout", "-q", branch);
        var path = $"{GitSandbox.Migrations}/{migrationId}.cs";
        var before = repo.Read(path);
        var after = editMigration(before);
        Assert.NotEqual(before, after);
        File.WriteAllText(repo.FullPath(path), after);
        repo.ToolOk("hash");
        repo.CommitAll("Hand-written operation in " + migrationId);
        return migrationId;
    }
}
