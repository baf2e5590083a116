using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Conflicts;

/// <summary>
/// git's diff3 and zdiff3 conflict styles (a <c>||||||| base</c> section) in safe-migrate.sum: <c>check</c> reports
/// the conflict (SM111), not a malformed file (SM110), and <c>hash</c> keeps the fork visible (SM104).
/// </summary>
public sealed class ConflictStyleTests(TwoBranchRepo branches, ITestOutputHelper output) : IClassFixture<TwoBranchRepo>
{
    [Theory]
    [InlineData("diff3")]
    [InlineData("zdiff3")]
    public void Sum_conflict_in_a_base_section_style_is_a_conflict_and_hash_keeps_the_fork(string style)
    {
        using var repo = branches.Repo.Clone(output.WriteLine);
        repo.GitOk("config", "merge.conflictStyle", style);
        repo.GitOk("checkout", "-q", TwoBranchRepo.BranchA);
        var merge = repo.Git("merge", "--no-edit", TwoBranchRepo.BranchB);
        Assert.True(merge.ExitCode == 1, merge.Describe());
        var sum = repo.Read(GitSandbox.SumFile);
        Assert.Contains("|||||||", sum);

        var conflict = repo.Check();
        Assert.True(conflict.ExitCode == 1, conflict.ToString());
        Assert.Equal(GitSandbox.SumFile, conflict.Single("SM111").File);
        Assert.DoesNotContain(conflict.Findings, f => f.Code == "SM110");

        repo.ToolOk("hash");
        var hashed = repo.Read(GitSandbox.SumFile);
        Assert.DoesNotContain("|||||||", hashed);

        var check = repo.Check();
        Assert.True(check.ExitCode == 1, $"after 'hash' check must still report the fork; safe-migrate.sum is now:{Environment.NewLine}{hashed}{Environment.NewLine}{check}");
        Assert.Equal([branches.IdA, branches.IdB], check.Single("SM104").Migrations.Order(StringComparer.Ordinal));
    }
}
