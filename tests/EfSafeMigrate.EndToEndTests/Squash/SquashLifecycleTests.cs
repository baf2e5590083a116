using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Conflicts;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>
/// <c>squash</c> and <c>squash --finalize</c> with the packed tool on a copy of samples/Shop and real databases before,
/// inside and after the squashed range <c>AddProductSku..AddOrdersDropLegacy</c> (<see cref="SquashScenario"/> runs the
/// steps once; each test checks what one step left). Every database must end with the schema the original migrations
/// give an empty database and with the same rows, and a second <c>apply</c> must change nothing.
/// </summary>
[ExpectedSeconds(80)]
public sealed class SquashLifecycleTests : IClassFixture<SquashScenario>
{
    private static readonly string[] SeededCategories = ["Books", "Games", "Music"];

    private readonly SquashScenario _scenario;

    public SquashLifecycleTests(SquashScenario scenario, ITestOutputHelper output)
    {
        _scenario = scenario;
        output.WriteLine(scenario.ScenarioLog);
    }

    public static IEnumerable<object[]> Positions => SquashScenario.Positions.Select(p => new object[] { p });

    private string SquashId => _scenario.Require(_scenario.SquashId, "the squash");

    private string Initial => FixtureProjects.Shop.Id("Initial");

    [Fact]
    public void Squash_refuses_a_project_that_does_not_reference_EfSafeMigrate_and_writes_nothing()
    {
        var result = _scenario.Require(_scenario.SquashWithoutReference, "the squash without the reference");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("does not reference the EfSafeMigrate library", result.StdErr);
        Assert.Contains("ProjectReference", result.StdErr);
        Assert.Equal(string.Empty, _scenario.GitStatusAfterRefusedSquash);
    }

    [Fact]
    public void Squash_writes_the_squashed_migration_that_replaces_the_range_and_check_stays_clean()
    {
        var result = _scenario.Require(_scenario.SquashResult, "the squash");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Equal($"{FixtureProjects.Shop.Id(SquashScenario.To)[..14]}_Squashed{SquashScenario.From}To{SquashScenario.To}", SquashId);
        Assert.Null(MachineOutputSchemas.Problems("squash", result.StdOut));
        using var document = JsonDocument.Parse(result.StdOut);
        Assert.Equal(_scenario.ReplacedIds, document.RootElement.GetProperty("replaces").EnumerateArray().Select(e => e.GetString()));
        var migration = File.ReadAllText(document.RootElement.GetProperty("migrationFile").GetString()!);
        Assert.Contains("INSERT INTO \\\"Categories\\\"", migration); // the Sql(...) step is kept
        Assert.Contains("RenameColumn(", migration);
        Assert.Contains("DropColumn(", migration);
        Assert.Contains("CreateTable(", migration);
        var designer = File.ReadAllText(document.RootElement.GetProperty("metadataFile").GetString()!);
        Assert.Contains("EfSafeMigrate.Replaces(", designer);
        Assert.All(_scenario.ReplacedIds, id => Assert.Contains($"\"{id}\"", designer));

        var check = _scenario.Require(_scenario.CheckAfterSquash, "check after the squash");
        Assert.True(check.ExitCode == 0, check.Describe());
    }

    [Fact]
    public void Check_build_accepts_the_squash_beside_the_migrations_it_replaces()
    {
        var check = CheckReport.From(_scenario.Require(_scenario.CheckBuildAfterSquash, "check --build after the squash"));

        Assert.True(check.ExitCode == 0 && check.Errors == 0, check.ToString());
    }

    [Fact]
    public void Status_graph_draws_the_squash_after_the_range_it_replaces_each_replaced_migration_marked()
    {
        var graph = _scenario.Require(_scenario.GraphAfterSquash, "status --graph after the squash");
        Assert.True(graph.ExitCode == 0, graph.Describe());
        var replaced = _scenario.ReplacedIds;
        var lines = GitSandbox.Lines(graph.StdOut).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(
            [
                $"*  {SquashId}  (squash of {replaced[0]}..{replaced[^1]} ({replaced.Count} migrations))",
                .. replaced.Reverse().Select(id => $"*  {id}  (replaced by {SquashId})"),
                $"*  {_scenario.OriginalIds[0]}",
            ],
            lines);
        Assert.Contains($"{replaced.Count + 2} migration(s), 1 head(s)", graph.StdErr);

        var json = _scenario.Require(_scenario.GraphJsonAfterSquash, "status --graph --json after the squash");
        Assert.True(json.ExitCode == 0, json.Describe());
        Assert.Null(MachineOutputSchemas.Problems("status-graph", json.StdOut));
        using var document = JsonDocument.Parse(json.StdOut);
        var nodes = document.RootElement.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal("squash", nodes[SquashId].GetProperty("kind").GetString());
        Assert.Equal(replaced, nodes[SquashId].GetProperty("replaces").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([replaced[^1]], nodes[SquashId].GetProperty("parents").EnumerateArray().Select(p => p.GetString()));
        Assert.All(replaced, id => Assert.Equal(SquashId, nodes[id].GetProperty("replacedBy").GetString()));
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Apply_with_the_squashed_project_gives_every_database_the_schema_and_rows_of_the_original_migrations(string position)
    {
        var apply = _scenario.Require(_scenario.Applies.GetValueOrDefault(position), $"apply on the database '{position}'");
        var database = _scenario.Databases[position];
        var state = apply.AfterFirst;

        Assert.True(apply.First.ExitCode == 0, apply.First.Describe());
        Assert.True(ReferenceSchemas.ShopFull == state.Schema,
            $"The schema of '{position}' differs from the original migrations' on an empty database.{Environment.NewLine}{Diff(ReferenceSchemas.ShopFull, state.Schema)}{Environment.NewLine}{apply.First.Describe()}");
        IReadOnlyList<string> categories = database.HasTestRows ? [.. SeededCategories, SquashDatabase.TestCategory] : SeededCategories;
        Assert.Equal(categories.Order(StringComparer.Ordinal), state.Categories.Order(StringComparer.Ordinal));
        Assert.Equal(database.HasTestRows ? SquashDatabase.TestProduct : null, state.Product);
        Assert.Equal(database.HasTestRows ? SquashDatabase.TestCustomer : null, state.Customer);

        // Before the range: the squashed migration runs and gets its row. Inside: the rest of the originals run and the
        // squash counts as applied without a row. After: nothing runs.
        var before = position is SquashScenario.Empty or "Initial";
        Assert.Equal(before ? [Initial, SquashId] : _scenario.OriginalIds, state.History);
        if (position == SquashScenario.To)
        {
            Assert.Contains("Nothing to do", apply.First.StdErr);
        }
    }

    [Theory]
    [MemberData(nameof(Positions))]
    public void Apply_a_second_time_changes_nothing(string position)
    {
        var apply = _scenario.Require(_scenario.Applies.GetValueOrDefault(position), $"apply on the database '{position}'");

        Assert.True(apply.Second.ExitCode == 0, apply.Second.Describe());
        Assert.Contains("Nothing to do", apply.Second.StdErr);
        Assert.Equal(apply.AfterFirst.History, apply.AfterSecond.History);
        Assert.Equal(apply.AfterFirst.Schema, apply.AfterSecond.Schema);
        Assert.Equal(apply.AfterFirst.Categories, apply.AfterSecond.Categories);
    }

    [Fact]
    public void Finalize_refuses_while_the_database_is_inside_the_range_naming_it_and_deletes_nothing()
    {
        var result = _scenario.Require(_scenario.FinalizeWithDatabaseInside, "finalize with a database inside the range");
        var straggler = _scenario.Straggler;

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains($"database \"{straggler.Name}\"", result.StdErr);
        Assert.Contains("inside its range", result.StdErr);
        Assert.Contains(FixtureProjects.Shop.Id("AddProductSku"), result.StdErr); // the applied originals
        Assert.Contains(FixtureProjects.Shop.Id("RenameCustomerName"), result.StdErr);
        Assert.Contains("dotnet safe-migrate apply", result.StdErr); // the fix
        AssertNoPassword(result, straggler.ConnectionString);
        Assert.Equal(string.Empty, _scenario.GitStatusAfterFinalizeInside);
    }

    [Fact]
    public void Finalize_with_a_range_is_a_usage_error()
    {
        var result = _scenario.Require(_scenario.FinalizeWithTwoArguments, "finalize with two arguments");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("--finalize takes one migration", result.StdErr);
        Assert.DoesNotContain("Build started", result.StdErr); // refused before building
    }

    [Fact]
    public void Finalize_refuses_when_a_database_cannot_be_reached_and_deletes_nothing()
    {
        var result = _scenario.Require(_scenario.FinalizeWithUnreachableDatabase, "finalize with an unreachable database");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("Cannot connect to database \"no_database_needed\"", result.StdErr);
        Assert.Contains("--force", result.StdErr);
        Assert.DoesNotContain("never-shown", result.Output);
        Assert.Equal(string.Empty, _scenario.GitStatusAfterFinalizeUnreachable);
    }

    [Fact]
    public void Finalize_deletes_the_replaced_migrations_rewrites_the_sum_and_check_is_clean()
    {
        var result = _scenario.Require(_scenario.FinalizeResult, "the finalize");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Null(MachineOutputSchemas.Problems("squash", result.StdOut)); // stdout holds the JSON document only
        using var document = JsonDocument.Parse(result.StdOut);
        var finalized = Assert.Single(document.RootElement.GetProperty("finalized").EnumerateArray());
        Assert.Equal(SquashId, finalized.GetProperty("squash").GetString());
        var deleted = finalized.GetProperty("deleted").EnumerateArray().Select(e => Path.GetFileName(e.GetString()!)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(_scenario.ReplacedIds.SelectMany(id => new[] { id + ".Designer.cs", id + ".cs" }).Order(StringComparer.Ordinal), deleted);
        Assert.All(finalized.GetProperty("deleted").EnumerateArray(), e => Assert.False(File.Exists(e.GetString()), e.GetString()));
        foreach (var database in _scenario.Databases.Values)
        {
            Assert.Contains($"Checked database \"{database.Name}\"", result.StdErr); // the DbContext's and every --also-connection
        }

        Assert.Equal([Initial, SquashId], _scenario.IdsAfterFinalize);
        var sum = _scenario.SumAfterFinalize!;
        Assert.Contains($"ShopContext {SquashId} {Initial} ", sum); // follows the migration before the range now
        Assert.Contains($"head ShopContext {SquashId}", sum);
        Assert.All(_scenario.ReplacedIds, id => Assert.DoesNotContain(id + " ", sum));

        var check = CheckReport.From(_scenario.Require(_scenario.CheckAfterFinalize, "check after the finalize"));
        Assert.True(check.ExitCode == 0 && check.Errors == 0, check.ToString());
    }

    [Fact]
    public void Finalize_with_force_skips_an_unreachable_database_with_a_warning()
    {
        var result = _scenario.Require(_scenario.FinalizeResult, "the finalize");

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("warning: --force: cannot connect to database \"no_database_needed\"", result.StdErr);
        Assert.DoesNotContain("never-shown", result.Output);
    }

    [Fact]
    public void After_finalize_the_project_builds_and_a_fresh_database_gets_the_squash()
    {
        var apply = _scenario.Require(_scenario.ApplyFreshAfterFinalize, "apply on a fresh database after the finalize");
        var state = _scenario.FreshAfterFinalize!;

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains("Build succeeded", apply.StdErr);
        Assert.Equal([Initial, SquashId], state.History);
        Assert.True(ReferenceSchemas.ShopFull == state.Schema, Diff(ReferenceSchemas.ShopFull, state.Schema));
        Assert.Equal(SeededCategories, state.Categories);
    }

    [Fact]
    public void After_finalize_apply_does_nothing_on_a_database_after_the_range()
    {
        var apply = _scenario.Require(_scenario.ApplyAfterRangeAfterFinalize, "apply on the database after the range after the finalize");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains("Nothing to do", apply.StdErr);
        Assert.Equal(_scenario.AfterRangeBeforeFinalApply!.History, _scenario.AfterRangeAfterFinalApply!.History);
        Assert.Equal(_scenario.OriginalIds, _scenario.AfterRangeAfterFinalApply.History);
        Assert.Equal(_scenario.AfterRangeBeforeFinalApply.Schema, _scenario.AfterRangeAfterFinalApply.Schema);
    }

    [Fact]
    public void After_finalize_a_database_nobody_checked_that_is_inside_the_range_is_refused_and_left_as_it_was()
    {
        var apply = _scenario.Require(_scenario.ApplyStragglerAfterFinalize, "apply on the straggler after the finalize");
        var before = _scenario.StragglerBeforeFinalize!;
        var after = _scenario.StragglerAfterFinalApply!;

        Assert.True(apply.ExitCode == 5, apply.Describe());
        Assert.Contains(SquashId, apply.StdErr);
        Assert.Equal(before.History, after.History);
        Assert.Equal(before.Schema, after.Schema);
    }

    /// <summary>
    /// The model tier after the finalize: the squashed migration must be compared with the model before its range
    /// (Initial's target model, also its recorded parent now), as it is before the finalize.
    /// </summary>
    [Fact]
    public void After_finalize_check_build_compares_the_squash_with_the_model_before_its_range()
    {
        var check = CheckReport.From(_scenario.Require(_scenario.CheckBuildAfterFinalize, "check --build after the finalize"));

        Assert.True(check.Errors == 0, check.ToString());
    }

    private static void AssertNoPassword(ProcessResult result, string connectionString)
    {
        var password = new NpgsqlConnectionStringBuilder(connectionString).Password;
        if (!string.IsNullOrEmpty(password))
        {
            Assert.DoesNotContain(password, result.Output);
        }
    }

    private static string Diff(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        return "missing: " + string.Join(" | ", expectedLines.Except(actualLines).Take(20)) + Environment.NewLine +
               "unexpected: " + string.Join(" | ", actualLines.Except(expectedLines).Take(20));
    }
}
