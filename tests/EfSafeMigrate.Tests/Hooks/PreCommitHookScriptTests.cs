using EfSafeMigrate.Tool.Hooks;

namespace EfSafeMigrate.Tests.Hooks;

public sealed class PreCommitHookScriptTests
{
    [Fact]
    public void CheckLine_appends_against_as_one_quoted_word()
    {
        Assert.Equal("/opt/sm check --staged -p 'Shop' --against 'origin/it'\\''s'", PreCommitHookScript.CheckLine("/opt/sm", "Shop", "origin/it's"));
        Assert.Equal("/opt/sm check --staged", PreCommitHookScript.CheckLine("/opt/sm", null));
    }

    [Fact]
    public void Render_runs_the_check_against_the_ref_and_says_so()
    {
        var script = PreCommitHookScript.Render("/opt/sm", null, "origin/main");

        Assert.Contains("/opt/sm check --staged --against 'origin/main'\n", script);
        Assert.Contains("with --against, also against the base branch's migrations since the fork", script);
    }

    [Theory]
    [InlineData("")]
    [InlineData("origin/main\nrm -rf /")]
    public void CheckLine_refuses_an_empty_or_multi_line_ref(string against)
        => Assert.Throws<ArgumentException>(() => PreCommitHookScript.CheckLine("/opt/sm", null, against));
}
