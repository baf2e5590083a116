using System.Text.Json;
using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>merge</c> after a real git merge of two branches that each added a migration (<see cref="TwoBranchRepo"/>):
/// independent changes get a merge migration that every check tier accepts and that brings fresh databases and
/// databases with either branch applied to the same schema; two branches that changed the same column are refused,
/// naming both migrations and the column, and nothing is written.
/// </summary>
[ExpectedSeconds(45)]
public sealed class MergeTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private string IdA => branches.IdA;

    private string IdB => branches.IdB;

    [Fact]
    public void Merge_of_independent_branches_writes_a_merge_migration_that_checks_clean_and_applies_everywhere()
    {
        using var repo = Clone();
        using var fresh = E2eDatabase.Create();
        using var withA = E2eDatabase.Create();
        using var withB = E2eDatabase.Create();
        output.WriteLine($"databases: fresh {fresh.Name}, with A {withA.Name}, with B {withB.Name}");

        // Databases deployed from each branch before the merge, each with rows in the tables the other branch changes.
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        repo.ToolOk("apply", "--connection", withA.ConnectionString, "--no-backup");
        Assert.Equal([.. branches.MainIds, IdA], Pg.History(withA.ConnectionString));
        InsertRows(withA.ConnectionString, "Ada");
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchB);
        repo.ToolOk("apply", "--connection", withB.ConnectionString, "--no-backup");
        Assert.Equal([.. branches.MainIds, IdB], Pg.History(withB.ConnectionString));
        InsertRows(withB.ConnectionString, "Grace");

        // The git merge: safe-migrate.sum conflicts and is resolved as check says, by 'hash' on the file as it is.
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var gitMerge = repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);
        Assert.True(gitMerge.ExitCode == 1, gitMerge.Describe());
        var conflicted = repo.ConflictedFiles();
        Assert.Contains(GitSandbox.SumFile, conflicted);
        if (conflicted.Contains(GitSandbox.Snapshot))
        {
            repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot); // merge regenerates it
        }

        repo.ToolOk("hash");
        repo.CommitAll("Merge feature-b into feature-a");
        Assert.Equal(["SM104"], repo.Check().ErrorFindings.Select(f => f.Code));

        var merge = repo.Tool("merge", "--json");

        Assert.True(merge.ExitCode == 0, merge.Describe());
        using var document = JsonDocument.Parse(merge.StdOut);
        var result = document.RootElement;
        Assert.True(result.GetProperty("merged").GetBoolean(), merge.Describe());
        var mergeId = result.GetProperty("migrationId").GetString()!;
        Assert.Equal($"Merge{IdA[15..]}And{IdB[15..]}", mergeId[15..]);
        Assert.True(string.CompareOrdinal(mergeId, IdB) > 0, $"{mergeId} must sort after {IdB}");
        Assert.Equal([IdA, IdB], result.GetProperty("parents").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(branches.Parent, result.GetProperty("commonAncestor").GetString());
        Assert.Equal([.. branches.MainIds, IdA, IdB, mergeId], repo.MigrationIds);

        // Files written by EF Core's generators: an empty Up and Down, a designer, the snapshot.
        var migrationFile = repo.Read($"{GitSandbox.Migrations}/{mergeId}.cs");
        Assert.DoesNotContain("migrationBuilder.", migrationFile);
        Assert.Matches(@"class Merge\w+ : Migration", migrationFile);
        var designer = repo.Read($"{GitSandbox.Migrations}/{mergeId}.Designer.cs");
        Assert.Contains($"[Migration(\"{mergeId}\")]", designer);
        Assert.Contains("\"Phone\"", designer);
        Assert.Contains("\"Weight\"", designer);
        var snapshot = repo.Read(GitSandbox.Snapshot);
        Assert.Contains("\"Phone\"", snapshot);
        Assert.Contains("\"Weight\"", snapshot);
        Assert.DoesNotContain("<<<<<<<", snapshot);
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.Matches(new Regex($"^ShopContext {mergeId} {IdA}\\+{IdB} [0-9a-f]{{64}}$", RegexOptions.Multiline), sum);
        Assert.Contains($"ShopContext {IdA} {branches.Parent} ", sum);
        Assert.Contains($"ShopContext {IdB} {branches.Parent} ", sum);
        Assert.Equal([$"head ShopContext {mergeId}"], GitSandbox.Lines(sum).Where(l => l.StartsWith("head ", StringComparison.Ordinal)));

        AssertClean(repo.Check(), "check after merge");
        AssertClean(repo.Check("--build"), "check --build after merge");
        repo.CommitAll("Merge migration");

        // Nothing left to merge; answered from files, without a build.
        var again = repo.Tool("merge", "--no-build");
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("Nothing to merge", again.StdErr);
        Assert.DoesNotContain("Build started", again.StdErr);

        // Every database ends at the same schema: fresh, with A's migration, with B's (A then runs out of id order).
        foreach (var database in new[] { fresh, withA, withB })
        {
            repo.ToolOk("apply", "--connection", database.ConnectionString, "--no-backup", "--no-build");
            Assert.Equal(repo.MigrationIds, Pg.History(database.ConnectionString));
        }

        var expected = Pg.SchemaDump(fresh.ConnectionString, excludeBookkeeping: true);
        Assert.Equal(expected, Pg.SchemaDump(withA.ConnectionString, excludeBookkeeping: true));
        Assert.Equal(expected, Pg.SchemaDump(withB.ConnectionString, excludeBookkeeping: true));
        Assert.True(Pg.ColumnExists(fresh.ConnectionString, "Customers", "Phone"));
        Assert.True(Pg.ColumnExists(fresh.ConnectionString, "Products", "Weight"));

        // Rows written before survive the merge's apply.
        AssertRows(withA.ConnectionString, "Ada");
        AssertRows(withB.ConnectionString, "Grace");
    }

    [Fact]
    public void Merge_of_branches_that_renamed_the_same_column_is_refused_naming_both_migrations_and_the_column()
    {
        var renames = branches.Renames;
        using var repo = renames.Repo.Clone(output.WriteLine);
        var (renameA, renameB) = (renames.RenameA, renames.RenameB);
        Assert.True(string.CompareOrdinal(renameA, renameB) < 0);

        // The git merge conflicts on the context (the same line), the snapshot and safe-migrate.sum: take this
        // branch's side of the code, and 'hash' on safe-migrate.sum as it is.
        repo.GitOk("checkout", "-q", "rename-a");
        var gitMerge = repo.Git("merge", "--no-edit", "rename-b");
        Assert.True(gitMerge.ExitCode == 1, gitMerge.Describe());
        Assert.Contains("Shop/ShopContext.cs", repo.ConflictedFiles());
        foreach (var file in repo.ConflictedFiles().Where(f => f != GitSandbox.SumFile))
        {
            repo.GitOk("checkout", "--ours", "--", file);
        }

        repo.ToolOk("hash");
        repo.CommitAll("Merge rename-b into rename-a");
        var head = repo.Head();
        var sumBefore = repo.Read(GitSandbox.SumFile);
        var snapshotBefore = repo.Read(GitSandbox.Snapshot);

        var merge = repo.Tool("merge", "--json");

        Assert.True(merge.ExitCode == 1, merge.Describe());
        var message = merge.StdErr;
        Assert.Contains("column Customers.FullName", message);
        Assert.Contains(renameA, message);
        Assert.Contains(renameB, message);
        Assert.Contains("rename column Customers.FullName → Name", message);
        Assert.Contains("rename column Customers.FullName → DisplayName", message);
        Assert.Contains("Fix: move your branch's migrations after the other branch's: dotnet safe-migrate merge --rebase [--connection <a database that applied them>]", message);
        Assert.Contains("One migration alone: dotnet safe-migrate merge --rebase <its id or name", message);
        Assert.Contains("Nothing was changed", message);
        Assert.Null(MachineOutputSchemas.Problems("merge", merge.StdOut));
        using var document = JsonDocument.Parse(merge.StdOut);
        var shared = Assert.Single(document.RootElement.GetProperty("sharedObjects").EnumerateArray());
        Assert.Equal("column Customers.FullName", shared.GetProperty("object").GetString());
        Assert.Equal(renameA, shared.GetProperty("migrationA").GetString());
        Assert.Equal(renameB, shared.GetProperty("migrationB").GetString());

        // Nothing was written.
        Assert.Equal([.. branches.MainIds, renameA, renameB], repo.MigrationIds);
        Assert.Equal(sumBefore, repo.Read(GitSandbox.SumFile));
        Assert.Equal(snapshotBefore, repo.Read(GitSandbox.Snapshot));
        Assert.Empty(GitSandbox.Lines(repo.GitOk("status", "--porcelain").StdOut));
        Assert.Equal(head, repo.Head());
    }

    [Fact]
    public void Merge_without_a_fork_has_nothing_to_merge_or_rebase()
    {
        using var repo = Clone();

        var nothing = repo.Tool("merge");

        Assert.True(nothing.ExitCode == 0, nothing.Describe());
        Assert.Contains("Nothing to merge", nothing.StdErr);
        Assert.DoesNotContain("Build started", nothing.StdErr);
        Assert.Empty(GitSandbox.Lines(repo.GitOk("status", "--porcelain").StdOut));

        var rebase = repo.Tool("merge", "--rebase", "Anything");

        Assert.True(rebase.ExitCode == 0, rebase.Describe());
        Assert.Contains("Nothing to merge", rebase.StdErr);
        Assert.DoesNotContain("Build started", rebase.StdErr);
    }

    private static void InsertRows(string connectionString, string customer)
    {
        Pg.Execute(connectionString, $"INSERT INTO \"Customers\" (\"FullName\", \"Email\") VALUES ({Pg.Literal(customer)}, {Pg.Literal(customer.ToLowerInvariant() + "@example.invalid")})");
        Pg.Execute(connectionString, $"INSERT INTO \"Products\" (\"Name\", \"Price\", \"CategoryId\") SELECT {Pg.Literal(customer + "'s anvil")}, 9.99, min(\"Id\") FROM \"Categories\"");
    }

    private static void AssertRows(string connectionString, string customer)
    {
        Assert.Equal([customer], Pg.Strings(connectionString, "SELECT \"FullName\"::text FROM \"Customers\""));
        Assert.Equal([customer + "'s anvil"], Pg.Strings(connectionString, "SELECT \"Name\"::text FROM \"Products\""));
    }

    private static void AssertClean(CheckReport report, string what)
    {
        Assert.True(report.ExitCode == 0, $"{what}: {report}");
        Assert.True(report.Errors == 0 && report.Warnings == 0 && report.Findings.Count == 0, $"{what}: {report}");
    }

    private GitSandbox Clone()
    {
        output.WriteLine($"two-branch repository: main at {branches.Parent}; {TwoBranchRepo.BranchA} adds {IdA}; {TwoBranchRepo.BranchB} adds {IdB}");
        return branches.Repo.Clone(output.WriteLine);
    }
}
