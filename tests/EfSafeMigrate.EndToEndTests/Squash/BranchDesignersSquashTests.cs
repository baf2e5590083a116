using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>
/// <c>squash</c> proves what it writes (<see cref="BranchDesignersScenario"/>): ranges whose designers were generated on
/// other branches are squashed from the migrations' own operations, every written squash gives an empty database the
/// schema the original migrations give, the scratch databases are dropped, and <c>check --build</c> reports a squash that
/// changes the schema (SM304).
/// </summary>
[ExpectedSeconds(40)]
public sealed class BranchDesignersSquashTests : IClassFixture<BranchDesignersScenario>
{
    private readonly BranchDesignersScenario _scenario;

    public BranchDesignersSquashTests(BranchDesignersScenario scenario, ITestOutputHelper output)
    {
        _scenario = scenario;
        output.WriteLine(scenario.ScenarioLog);
    }

    [Fact]
    public void A_range_with_a_migration_the_differ_does_not_produce_is_squashed_from_its_operations_and_proven()
    {
        var result = _scenario.Require(_scenario.SquashB, "squash (b)");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("'20261121070300_AddProductStock'", result.StdErr);
        Assert.Contains("So the squash is built from the migrations' own operations", result.StdErr);
        Assert.Contains("Proven: the squashed migration gives the schema the 2 original migrations give", result.StdErr);
        using var document = JsonDocument.Parse(result.StdOut);
        Assert.Equal("operations", document.RootElement.GetProperty("builtFrom").GetString());
        Assert.Equal([], _scenario.Require(_scenario.LeftoversAfterB, "the scratch databases after (b)"));
    }

    [Fact]
    public void The_squashed_project_of_b_gives_an_empty_database_the_schema_of_the_originals()
    {
        var apply = _scenario.Require(_scenario.ApplyB, "apply (b)");
        var originals = _scenario.Require(_scenario.Originals, "the originals");
        var fresh = _scenario.Require(_scenario.FreshB, "the database of (b)");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(originals.Schema, fresh.Schema);
        Assert.Contains("\"Stock\" integer", fresh.Schema);
    }

    [Fact]
    public void Check_build_proves_the_squash_of_b()
    {
        var check = CheckReport.From(_scenario.Require(_scenario.CheckBuildB, "check --build (b)"));

        Assert.Empty(check.WithCode("SM304"));
        Assert.Empty(check.WithCode("SM305"));
    }

    [Fact]
    public void A_range_whose_custom_sql_cannot_move_after_the_schema_operations_is_squashed_with_it_in_place()
    {
        var result = _scenario.Require(_scenario.SquashC, "squash (c)");
        var code = _scenario.Require(_scenario.SquashCMigrationCode, "the code of squash (c)");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("its custom operations would run against another schema", result.StdErr);
        Assert.Contains("Proven: the squashed migration gives the schema the 2 original migrations give", result.StdErr);
        var up = code[..code.IndexOf("protected override void Down", StringComparison.Ordinal)];
        var add = up.IndexOf("AddColumn<string>(", StringComparison.Ordinal);
        var fill = up.IndexOf("UPDATE", StringComparison.Ordinal);
        var require = up.IndexOf("AlterColumn<string>(", StringComparison.Ordinal);
        Assert.True(add >= 0 && add < fill && fill < require, up);
    }

    [Fact]
    public void The_project_with_squashes_b_and_c_gives_an_empty_database_the_schema_of_the_originals()
    {
        var apply = _scenario.Require(_scenario.ApplyC, "apply (c)");
        var originals = _scenario.Require(_scenario.Originals, "the originals");
        var fresh = _scenario.Require(_scenario.FreshC, "the database of (c)");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(originals.Schema, fresh.Schema);
        Assert.Contains("\"Colour\" text", fresh.Schema);
    }

    [Fact]
    public void A_squash_the_models_would_give_without_a_column_is_built_from_the_operations_and_keeps_it()
    {
        var result = _scenario.Require(_scenario.SquashA, "squash (a)");
        var code = _scenario.Require(_scenario.SquashAMigrationCode, "the code of squash (a)");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("does not give the schema the original migrations give", result.StdErr);
        Assert.Contains("\"Weight\": the original migrations create(s) it", result.StdErr);
        Assert.Contains("name: \"Weight\"", code);
        Assert.Contains("name: \"Note\"", code);
        Assert.DoesNotContain("name: \"Rating\"", code);
        Assert.Contains("Proven: the squashed migration gives the schema the 2 original migrations give", result.StdErr);
    }

    [Fact]
    public void The_squashed_project_of_a_gives_an_empty_database_the_schema_of_the_originals()
    {
        var apply = _scenario.Require(_scenario.ApplyA, "apply (a)");
        var originals = _scenario.Require(_scenario.Originals, "the originals");
        var fresh = _scenario.Require(_scenario.FreshA, "the database of (a)");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(originals.Schema, fresh.Schema);
    }

    [Fact]
    public void Check_build_reports_a_squash_that_loses_a_column_as_SM304_and_drops_its_scratch_databases()
    {
        var check = CheckReport.From(_scenario.Require(_scenario.CheckBuildAfterBreakingA, "check --build after breaking (a)"));

        var finding = check.Single("SM304");
        Assert.Equal("error", finding.Severity);
        Assert.Contains("\"Weight\": the original migrations create(s) it", finding.Message);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal([], _scenario.Require(_scenario.LeftoversAtEnd, "the scratch databases at the end"));
    }
}
