using System.Text.Json;
using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Merge;

/// <summary>
/// <c>merge</c> after a git merge whose <c>safe-migrate.sum</c> was resolved by picking one side (the other branch's
/// migration is not recorded): it recovers the other side's recorded parents from git (<c>MERGE_HEAD</c> while the
/// merge is in progress, the merge commit's parents after it) and merges, with no <c>hash</c> first
/// (<see cref="TwoBranchRepo"/>).
/// </summary>
public sealed class MergeRecoveryTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    private string IdA => branches.IdA;

    private string IdB => branches.IdB;

    [Fact]
    public void Merge_during_a_git_merge_with_our_side_of_the_sum_picked_recovers_the_other_side_from_MERGE_HEAD()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        Assert.Equal(1, repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB).ExitCode);
        PickSide(repo, "--ours");
        Assert.DoesNotContain($" {IdB} ", repo.Read(GitSandbox.SumFile)); // B's migration is unrecorded
        var unrecorded = repo.Check().Single("SM101");
        Assert.Equal([IdB], unrecorded.Migrations);
        Assert.Contains("dotnet safe-migrate merge, which recovers the other side's recorded parents from git", unrecorded.Fix);

        var merge = repo.Tool("merge", "--json");

        Assert.True(merge.ExitCode == 0, merge.Describe());
        Assert.Contains($"Recovered from git: '{IdB}' follows '{branches.Parent}', as {GitSandbox.SumFile} records it at MERGE_HEAD", merge.StdErr);
        AssertMerged(repo, merge);
    }

    [Fact]
    public void Merge_after_a_committed_git_merge_with_their_side_of_the_sum_picked_recovers_ours_from_the_merge_commit_parents()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        Assert.Equal(1, repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB).ExitCode);
        PickSide(repo, "--theirs");
        repo.CommitAll("Merge feature-b into feature-a (safe-migrate.sum: theirs)");
        Assert.Equal([IdA], repo.Check().Single("SM101").Migrations);

        var merge = repo.Tool("merge", "--json");

        Assert.True(merge.ExitCode == 0, merge.Describe());
        Assert.Contains($"Recovered from git: '{IdA}' follows '{branches.Parent}', as {GitSandbox.SumFile} records it at HEAD^1", merge.StdErr);
        AssertMerged(repo, merge);
    }

    [Fact]
    public void Merge_on_the_conflicted_sum_as_it_is_needs_no_hash_first()
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        Assert.Equal(1, repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB).ExitCode);
        if (repo.ConflictedFiles().Contains(GitSandbox.Snapshot))
        {
            repo.GitOk("checkout", "--ours", "--", GitSandbox.Snapshot);
        }

        Assert.Contains("<<<<<<<", repo.Read(GitSandbox.SumFile));

        var merge = repo.Tool("merge", "--json");

        Assert.True(merge.ExitCode == 0, merge.Describe());
        Assert.Contains($"Read both sides of the git conflict in", merge.StdErr);
        AssertMerged(repo, merge);
    }

    // Resolves the git merge's conflicts by taking one side of safe-migrate.sum (and of the snapshot, should it conflict).
    private static void PickSide(GitSandbox repo, string side)
    {
        var conflicted = repo.ConflictedFiles();
        Assert.Contains(GitSandbox.SumFile, conflicted);
        foreach (var file in conflicted)
        {
            repo.GitOk("checkout", side, "--", file);
        }

        repo.GitOk("add", "-A");
    }

    private void AssertMerged(GitSandbox repo, ProcessResult merge)
    {
        using var document = JsonDocument.Parse(merge.StdOut);
        var result = document.RootElement;
        Assert.True(result.GetProperty("merged").GetBoolean(), merge.Describe());
        var mergeId = result.GetProperty("migrationId").GetString()!;
        Assert.Equal([IdA, IdB], result.GetProperty("parents").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(branches.Parent, result.GetProperty("commonAncestor").GetString());
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.DoesNotContain("<<<<<<<", sum);
        Assert.Contains($"ShopContext {IdA} {branches.Parent} ", sum);
        Assert.Contains($"ShopContext {IdB} {branches.Parent} ", sum);
        Assert.Matches(new Regex($"^ShopContext {mergeId} {IdA}\\+{IdB} [0-9a-f]{{64}}$", RegexOptions.Multiline), sum);
        var check = repo.Check();
        Assert.True(check.ExitCode == 0 && check.Findings.Count == 0, check.ToString());
    }
}
