using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>merge --rebase</c> without a migration name after a real git merge of <c>main</c> into a feature branch
/// (<see cref="BranchRebaseRepo"/>): all three of the branch's migrations move after main's two, oldest first, each
/// re-scaffolded on main's model with its <c>Sql()</c> backfill kept; <c>check</c> and <c>check --build</c> are clean; a
/// fresh database, one that applied main only and one that applied the branch only (given the new ids with
/// <c>--connection</c>) end with the same schema and data. A backfill that mentions the column main renamed is refused.
/// </summary>
[ExpectedSeconds(80)]
public sealed class BranchRebaseTests(BranchRebaseRepo prepared, ITestOutputHelper output) : IClassFixture<BranchRebaseRepo>
{
    private const string Customer = "INSERT INTO \"Customers\" (\"FullName\", \"Email\") VALUES ('Ada Lovelace', 'ada@example.invalid');";

    [Fact]
    public void Rebase_moves_the_whole_branch_after_main_and_every_database_ends_the_same()
    {
        using var repo = prepared.Repo.Clone(output.WriteLine);
        using var fresh = E2eDatabase.Create();
        using var mainOnly = E2eDatabase.Create();
        using var branchOnly = E2eDatabase.Create();
        var databases = new[] { fresh, mainOnly, branchOnly };

        // Every database starts at the base with one customer, so that the backfill has a row to fill.
        repo.GitOk("checkout", "-q", BranchRebaseRepo.Base);
        repo.ToolOk("apply", "--connection", fresh.ConnectionString, "--no-backup");
        foreach (var database in databases)
        {
            if (database != fresh)
            {
                repo.ToolOk("apply", "--connection", database.ConnectionString, "--no-backup", "--no-build");
            }

            Pg.Execute(database.ConnectionString, Customer);
        }

        repo.GitOk("checkout", "-q", GitSandbox.Branch);
        repo.ToolOk("apply", "--connection", mainOnly.ConnectionString, "--no-backup");
        repo.GitOk("checkout", "-q", BranchRebaseRepo.Feature);
        repo.ToolOk("apply", "--connection", branchOnly.ConnectionString, "--no-backup");
        Assert.Equal(prepared.BranchIds, Pg.History(branchOnly.ConnectionString)[^3..]);

        // git merge main into the feature branch: the code merges; safe-migrate.sum (and perhaps the snapshot) conflict.
        GitMergeMain(repo);

        var rebase = repo.Tool("merge", "--rebase", "--connection", branchOnly.ConnectionString, "--json");

        Assert.True(rebase.ExitCode == 0, rebase.Describe());
        Assert.Null(MachineOutputSchemas.Problems("merge", rebase.StdOut));
        using var document = JsonDocument.Parse(rebase.StdOut);
        var result = document.RootElement;
        Assert.Equal(prepared.MainIds[^1], result.GetProperty("parent").GetString());
        Assert.Equal("MERGE_HEAD", result.GetProperty("onto").GetString());
        var moved = result.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(prepared.BranchIds, moved.Select(m => m.GetProperty("oldMigrationId").GetString()));
        var newIds = moved.Select(m => m.GetProperty("migrationId").GetString()!).ToList();
        Assert.Equal(prepared.BranchIds.Select(Name), newIds.Select(Name));
        Assert.Equal([prepared.MainIds[^1], newIds[0], newIds[1]], moved.Select(m => m.GetProperty("parent").GetString()));
        Assert.All(moved, m => Assert.True(m.GetProperty("historyRenamed").GetBoolean(), rebase.Describe()));
        var kept = Assert.Single(moved[1].GetProperty("keptOperations").EnumerateArray());
        Assert.StartsWith($"{prepared.BranchIds[1]} Up operation 2 (sql", kept.GetString());
        var mainHistory = Pg.History(mainOnly.ConnectionString);
        Assert.Equal([.. mainHistory, .. newIds], repo.MigrationIds);
        Assert.All(prepared.BranchIds, old => Assert.False(File.Exists(repo.FullPath($"{GitSandbox.Migrations}/{old}.cs")), old));

        // Each new Up makes only its own change, on top of main's model; the backfill stays after its AddColumn.
        Assert.Contains("CreateTable(", repo.Read($"{GitSandbox.Migrations}/{newIds[0]}.cs"));
        var nickname = repo.Read($"{GitSandbox.Migrations}/{newIds[1]}.cs");
        var up = nickname[..nickname.IndexOf("protected override void Down", StringComparison.Ordinal)];
        Assert.True(up.IndexOf("AddColumn<string>(", StringComparison.Ordinal) is var add and >= 0 && up.IndexOf("IS NULL", StringComparison.Ordinal) > add, nickname);
        Assert.DoesNotContain("Description", nickname);
        Assert.DoesNotContain("OrderedAt", nickname);
        Assert.Contains("CreateIndex(", repo.Read($"{GitSandbox.Migrations}/{newIds[2]}.cs"));
        Assert.Contains("OrderedAt", repo.Read($"{GitSandbox.Migrations}/{newIds[0]}.Designer.cs"));
        Assert.DoesNotContain("Nickname", repo.Read($"{GitSandbox.Migrations}/{newIds[0]}.Designer.cs"));
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.Contains($"ShopContext {newIds[0]} {prepared.MainIds[^1]} ", sum);
        Assert.Contains($"ShopContext {newIds[2]} {newIds[1]} ", sum);

        var check = repo.Check();
        Assert.True(check.ExitCode == 0 && check.Errors == 0, $"check after rebase: {check}");
        var checkBuild = repo.Check("--build");
        Assert.True(checkBuild.ExitCode == 0 && checkBuild.Errors == 0, $"check --build after rebase: {checkBuild}");
        repo.CommitAll("Merge main into feature; rebase the feature's migrations after main's");

        foreach (var database in databases)
        {
            var apply = repo.Tool("apply", "--connection", database.ConnectionString, "--no-backup", "--no-build");
            Assert.True(apply.ExitCode == 0, apply.Describe());
            Assert.Equal(repo.MigrationIds, Pg.History(database.ConnectionString).Order(StringComparer.Ordinal));
        }

        var schema = Pg.SchemaDump(fresh.ConnectionString, excludeBookkeeping: true);
        Assert.Contains("\"OrderedAt\"", schema);
        Assert.Contains("\"Nickname\"", schema);
        Assert.Equal(schema, Pg.SchemaDump(mainOnly.ConnectionString, excludeBookkeeping: true));
        Assert.Equal(schema, Pg.SchemaDump(branchOnly.ConnectionString, excludeBookkeeping: true));
        const string Data = "SELECT \"FullName\" || '|' || coalesce(\"Nickname\", '<null>') FROM \"Customers\" UNION ALL SELECT \"Name\" || '|' || coalesce(\"Description\", '<null>') FROM \"Categories\" ORDER BY 1";
        var data = Pg.Strings(fresh.ConnectionString, Data);
        Assert.Contains("Ada Lovelace|Ada Lovelace", data);
        Assert.Equal(data, Pg.Strings(mainOnly.ConnectionString, Data));
        Assert.Equal(data, Pg.Strings(branchOnly.ConnectionString, Data));
    }

    [Fact]
    public void Rebase_refuses_a_backfill_that_mentions_the_column_main_renamed_and_changes_nothing()
    {
        using var repo = prepared.Repo.Clone(output.WriteLine);
        repo.GitOk("checkout", "-q", BranchRebaseRepo.Feature);
        var path = $"{GitSandbox.Migrations}/{prepared.BranchIds[1]}.cs";
        repo.Edit(path, "WHERE \\\"Nickname\\\" IS NULL;",
            "WHERE EXISTS (SELECT 1 FROM \\\"Orders\\\" o WHERE o.\\\"CustomerId\\\" = \\\"Customers\\\".\\\"Id\\\" AND o.\\\"PlacedAt\\\" > now() - interval '1 year');");
        repo.ToolOk("hash");
        repo.CommitAll("Backfill only customers who ordered this year");
        GitMergeMain(repo);
        repo.ToolOk("hash"); // keep both sides' lines: the fork
        var migrationsBefore = Directory.GetFiles(repo.FullPath(GitSandbox.Migrations)).Order().ToList();
        var sumBefore = repo.Read(GitSandbox.SumFile);

        var rebase = repo.Tool("merge", "--rebase");

        Assert.True(rebase.ExitCode == 1, rebase.Describe());
        var said = rebase.StdOut + rebase.StdErr;
        Assert.Contains($"{prepared.BranchIds[1]} Up operation 2 (sql", said);
        Assert.Contains("Orders.PlacedAt", said);
        Assert.Contains(prepared.MainIds[1], said);
        Assert.Contains("Nothing was changed", said);
        Assert.Equal(migrationsBefore, Directory.GetFiles(repo.FullPath(GitSandbox.Migrations)).Order().ToList());
        Assert.Equal(sumBefore, repo.Read(GitSandbox.SumFile));
    }

    // git merge main into the checked-out feature branch: the code merges; safe-migrate.sum conflicts, and a conflicted
    // snapshot is taken from this side (merge --rebase regenerates it). MERGE_HEAD stays: the merge is not committed.
    private static void GitMergeMain(GitSandbox repo)
    {
        Assert.Equal(1, repo.Git("merge", "--no-edit", GitSandbox.Branch).ExitCode);
        var conflicted = repo.ConflictedFiles();
        Assert.DoesNotContain(conflicted, f => f != GitSandbox.SumFile && f != GitSandbox.Snapshot);
        if (conflicted.Contains(GitSandbox.Snapshot))
        {
            repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot);
        }
    }

    private static string Name(string id) => id[(id.IndexOf('_') + 1)..];
}
