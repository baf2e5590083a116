using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// Two branches that each added a migration from the same parent (<see cref="TwoBranchRepo"/>), in real git:
/// <c>check --against</c> before the merge, git's conflict on safe-migrate.sum at the merge, the fast and
/// <c>--build</c> tiers after a merge resolved by hand without a merge migration, the database tier after
/// switching branches, and a clean linear history that every tier accepts.
/// </summary>
[ExpectedSeconds(35)]
public sealed class BranchConflictTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private string IdA => branches.IdA;

    private string IdB => branches.IdB;

    [Fact]
    public void Check_against_reports_coming_fork_on_each_branch()
    {
        using var repo = Clone();

        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var onA = repo.Check("--against", TwoBranchRepo.BranchB);

        Assert.True(onA.ExitCode == 1, onA.ToString());
        var forkOnA = onA.Single("SM201");
        Assert.Equal("error", forkOnA.Severity);
        Assert.Equal([IdA, IdB], forkOnA.Migrations.Order(StringComparer.Ordinal));
        Assert.Contains(IdA, forkOnA.Message);
        Assert.Contains(IdB, forkOnA.Message);
        // A's migration sorts before B's newest: where B is deployed, A's would run out of order.
        var outOfOrder = onA.Single("SM202");
        Assert.Equal("error", outOfOrder.Severity);
        Assert.Contains(IdA, outOfOrder.Migrations);
        Assert.Contains(IdB, outOfOrder.Migrations);
        Assert.Equal($"Shop/Migrations/{IdA}.cs", outOfOrder.File);
        Assert.Equal(["SM201", "SM202"], onA.ErrorFindings.Select(f => f.Code).Order(StringComparer.Ordinal));
        Assert.Equal(2, onA.Errors);

        // The same from the remote-tracking ref a CI job would name.
        var onAFromOrigin = repo.Check("--against", "origin/" + TwoBranchRepo.BranchB);
        Assert.True(onAFromOrigin.ExitCode == 1, onAFromOrigin.ToString());
        Assert.Equal([IdA, IdB], onAFromOrigin.Single("SM201").Migrations.Order(StringComparer.Ordinal));
        onAFromOrigin.Single("SM202");

        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchB);
        var onB = repo.Check("--against", TwoBranchRepo.BranchA);

        Assert.True(onB.ExitCode == 1, onB.ToString());
        var forkOnB = onB.Single("SM201");
        Assert.Equal([IdA, IdB], forkOnB.Migrations.Order(StringComparer.Ordinal));
        Assert.Equal($"Shop/Migrations/{IdB}.cs", forkOnB.File);
        Assert.Empty(onB.WithCode("SM202")); // B's migration is the newer one
        Assert.Equal(1, onB.Errors);

        // Without --against, each branch on its own is fine.
        var alone = repo.Check();
        Assert.True(alone.ExitCode == 0, alone.ToString());
        Assert.Empty(alone.Findings);
    }

    [Fact]
    public void Git_merge_of_the_two_branches_conflicts_on_safe_migrate_sum_and_check_names_it()
    {
        using var repo = Clone();
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);

        var merge = repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);

        Assert.True(merge.ExitCode == 1, "git merge should stop on a conflict (exit 1):" + Environment.NewLine + merge.Describe());
        Assert.Contains($"CONFLICT (content): Merge conflict in {GitSandbox.SumFile}", merge.Output);
        var conflicted = repo.ConflictedFiles();
        Assert.Contains(GitSandbox.SumFile, conflicted);
        // The entity edits are in different files, so the code merges cleanly; the snapshot changes are in different
        // entity blocks, which git merges too (it is not asserted either way).
        Assert.DoesNotContain("Shop/Model/Customer.cs", conflicted);
        Assert.DoesNotContain("Shop/Model/Product.cs", conflicted);
        output.WriteLine($"conflicted: {string.Join(", ", conflicted)}");
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.Contains("<<<<<<<", sum);
        Assert.Contains($"head ShopContext {IdA}", sum);
        Assert.Contains($"head ShopContext {IdB}", sum);

        var check = repo.Check();

        Assert.True(check.ExitCode == 1, check.ToString());
        var markers = check.Single("SM111");
        Assert.Equal(GitSandbox.SumFile, markers.File);
        Assert.Contains("'dotnet safe-migrate merge'", markers.Fix);
    }

    /// <summary>
    /// SM111's fix says: do not edit safe-migrate.sum by hand, run 'merge' (which reads both sides); 'hash' on the file as
    /// it is reads both sides of the markers too, and then 'check' names the forked migrations. The fork must stay visible to the fast tier, which is
    /// all the pre-commit hook runs. (Picking the side without the newer migration would let 'hash' record it as
    /// following the older one, hiding the fork from the fast tier; only 'check --build' would still see it.)
    /// </summary>
    [Fact]
    public void Sum_conflict_resolved_as_check_says_keeps_the_fork_visible()
    {
        string? side = null;
        using var repo = Clone();
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var merge = repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);
        Assert.True(merge.ExitCode == 1, merge.Describe());
        var conflict = repo.Check();
        Assert.True(conflict.ExitCode == 1, conflict.ToString());
        Assert.Contains("'dotnet safe-migrate merge'", conflict.Single("SM111").Fix);
        Assert.Contains("Do not edit it by hand", conflict.Single("SM111").Fix);

        if (side is not null)
        {
            repo.GitOk("checkout", side, "--", GitSandbox.SumFile);
        }

        repo.ToolOk("hash");
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.DoesNotContain("<<<<<<<", sum);

        var check = repo.Check();

        Assert.True(check.ExitCode == 1,
            $"after 'git checkout {side ?? "(no side)"} -- {GitSandbox.SumFile}' and 'hash', check must still report the fork; safe-migrate.sum is now:{Environment.NewLine}{sum}{Environment.NewLine}{check}");
        var fork = check.Single("SM104");
        Assert.Equal([IdA, IdB], fork.Migrations.Order(StringComparer.Ordinal));
        Assert.Contains(branches.Parent, fork.Message);
    }

    [Fact]
    public void Merge_resolved_by_hand_without_merge_migration_is_reported_as_fork_and_stale_snapshot()
    {
        using var repo = Clone();
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var merge = repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);
        Assert.True(merge.ExitCode == 1, merge.Describe());
        var conflicted = repo.ConflictedFiles();
        Assert.Contains(GitSandbox.SumFile, conflicted);

        // Resolve as a hurried developer would: keep both migration lines and one head line (the newest id)...
        var resolved = GitSandbox.Lines(repo.Read(GitSandbox.SumFile))
            .Where(l => !l.StartsWith("<<<<<<<", StringComparison.Ordinal) && !l.StartsWith("=======", StringComparison.Ordinal) && !l.StartsWith(">>>>>>>", StringComparison.Ordinal))
            .Where(l => !l.StartsWith("head ", StringComparison.Ordinal))
            .Append($"head ShopContext {IdB}");
        repo.Write(GitSandbox.SumFile, string.Join('\n', resolved) + "\n");
        // ...and, should the snapshot conflict, take this branch's side (git merges it cleanly here: the union).
        if (conflicted.Contains(GitSandbox.Snapshot))
        {
            repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot);
        }

        repo.GitOk("add", "-A");
        repo.GitOk("commit", "-q", "--no-edit");
        Assert.Empty(repo.ConflictedFiles());
        Assert.Equal([.. branches.MainIds, IdA, IdB], repo.MigrationIds);

        var fast = repo.Check();

        Assert.True(fast.ExitCode == 1, fast.ToString());
        var fork = fast.Single("SM104");
        Assert.Equal([IdA, IdB], fork.Migrations.Order(StringComparer.Ordinal));
        Assert.Contains(branches.Parent, fork.Message);
        Assert.Contains("safe-migrate merge", fork.Fix); // one best path (issue 9 item 12), no longer "remove and add again"
        Assert.Empty(fast.WithCode("SM111"));

        var build = repo.Check("--build");

        Assert.True(build.ExitCode == 1, build.ToString());
        Assert.Equal([IdA, IdB], build.Single("SM104").Migrations.Order(StringComparer.Ordinal));
        var modelFindings = build.Findings.Where(f => f.Code is "SM302" or "SM303").ToList();
        Assert.True(modelFindings.Count > 0, "expected a stale snapshot (SM302) or a migration that does not match its models (SM303):" + Environment.NewLine + build);
        // The newest migration's (B's) target model lacks A's column, which the merged snapshot has.
        Assert.Contains(modelFindings, f => f.Migrations.Contains(IdB));
        foreach (var stale in build.WithCode("SM302"))
        {
            Assert.Equal([IdB], stale.Migrations);
            Assert.Contains("Phone", stale.Message);
        }
    }

    [Fact]
    public void Check_connection_reports_migration_applied_from_another_branch()
    {
        using var repo = Clone();
        using var database = E2eDatabase.Create();
        output.WriteLine($"database {database.Name}");
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        repo.ToolOk("apply", "--connection", database.ConnectionString, "--no-backup");
        Assert.Equal([.. branches.MainIds, IdA], Pg.History(database.ConnectionString));
        Assert.True(Pg.ColumnExists(database.ConnectionString, "Customers", "Phone"));

        repo.GitOk("checkout", "-q", GitSandbox.Branch);
        Assert.DoesNotContain(IdA, repo.MigrationIds);
        var check = repo.Check("--connection", database.ConnectionString);

        Assert.True(check.ExitCode == 1, check.ToString());
        var missing = check.Single("SM401");
        Assert.Equal("error", missing.Severity);
        Assert.Equal([IdA], missing.Migrations);
        Assert.Contains(IdA, missing.Message);
        Assert.NotNull(missing.Fix);
        Assert.Contains($"rollback --to {branches.Parent}", missing.Fix);
        Assert.Equal(["SM401"], check.ErrorFindings.Select(f => f.Code));
        Assert.Empty(check.WithCode("SM403")); // everything main has is applied
    }

    [Fact]
    public void Clean_linear_history_passes_every_check_tier()
    {
        using var repo = Clone();

        // main as committed: the sample's migrations and their integrity file.
        AssertClean(repo.Check(), "check on main");
        AssertClean(repo.Check("--staged"), "check --staged on main");

        // A branch with one migration added by 'add' and committed, compared with main, which added none.
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        AssertClean(repo.Check(), "check on feature-a");
        AssertClean(repo.Check("--staged"), "check --staged on feature-a");
        AssertClean(repo.Check("--against", GitSandbox.Branch), "check --against main");
        AssertClean(repo.Check("--against", "origin/" + GitSandbox.Branch), "check --against origin/main");

        using var database = E2eDatabase.Create();
        output.WriteLine($"database {database.Name}");
        repo.ToolOk("apply", "--connection", database.ConnectionString, "--no-backup");
        Assert.Equal(repo.MigrationIds, Pg.History(database.ConnectionString));

        AssertClean(repo.Check("--build"), "check --build");
        AssertClean(repo.Check("--connection", database.ConnectionString, "--no-build"), "check --connection");
        AssertClean(repo.Check("--build", "--against", GitSandbox.Branch, "--connection", database.ConnectionString, "--no-build"), "every tier at once");
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
