using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

[ExpectedSeconds(35)]
public class ApplyTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Apply_on_empty_database_applies_all_and_writes_verified_backup()
    {
        // The one test that lets the tool build the project itself.
        using var session = ToolSession.Create(Shop, output, build: false);

        var apply = session.Run(new RunOptions { Build = true, Timeout = TimeSpan.FromMinutes(10) }, "apply");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        foreach (var id in Shop.MigrationIds)
        {
            Assert.Contains($"Applying {id}", apply.StdErr);
        }

        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(session.ConnectionString, excludeBookkeeping: true));

        // Exactly one archive and its sidecar, taken before anything was applied (no head migration).
        var files = Directory.GetFiles(session.BackupDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var archive = Assert.Single(session.Archives());
        Assert.Equal([Path.GetFileName(archive), Path.GetFileName(archive) + ".json"], files);
        BackupAssertions.AssertArchive(archive, session.DatabaseName, headMigration: null);

        var verify = session.Run("backup", "verify", archive);
        Assert.True(verify.ExitCode == 0, verify.Describe());

        var status = session.Run("status", "--json");
        Assert.True(status.ExitCode == 0, status.Describe());
        var json = ToolSession.Json(status);
        Assert.Equal("Shop.ShopContext", json.GetProperty("context").GetString());
        Assert.Equal(session.DatabaseName, json.GetProperty("database").GetString());
        var migrations = json.GetProperty("migrations").EnumerateArray()
            .Select(m => (m.GetProperty("id").GetString(), m.GetProperty("status").GetString()))
            .ToList();
        Assert.Equal(Shop.MigrationIds.Select(id => ((string?)id, (string?)"applied")), migrations);
    }

    [Fact]
    public void Apply_json_reports_each_step_and_the_backup_and_a_second_apply_does_nothing()
    {
        using var session = ToolSession.Create(Shop, output);

        var apply = session.Run("apply", "--json");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        var json = ToolSession.Json(apply);
        Assert.Equal(session.DatabaseName, json.GetProperty("database").GetString());
        var backup = json.GetProperty("backup").GetString();
        Assert.Equal(Assert.Single(session.Archives()), backup);
        var steps = json.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(Shop.MigrationIds, steps.Select(s => s.GetProperty("migration").GetString()));
        Assert.All(steps, s => Assert.Equal("apply", s.GetProperty("action").GetString()));
        Assert.All(steps, s => Assert.True(s.GetProperty("durationMs").GetDouble() >= 0));

        // Nothing to do: no backup, exit 0.
        var again = session.Run("apply", "--json");
        Assert.True(again.ExitCode == 0, again.Describe());
        var againJson = ToolSession.Json(again);
        Assert.Empty(againJson.GetProperty("steps").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, againJson.GetProperty("backup").ValueKind);
        Assert.Single(session.Archives());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
    }

    [Fact]
    public void Apply_to_a_target_applies_only_up_to_it()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];

        var apply = session.Run("apply", third);

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
        Assert.Equal(ReferenceSchemas.ShopAfter(third), Pg.SchemaDump(session.ConnectionString, excludeBookkeeping: true));
        Assert.DoesNotContain($"Applying {Shop.MigrationIds[3]}", apply.StdErr);
    }

    [Fact]
    public void Plan_lists_the_steps_and_changes_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];

        var planAll = session.Run("plan", "--json");

        Assert.True(planAll.ExitCode == 0, planAll.Describe());
        var json = ToolSession.Json(planAll);
        Assert.Equal(Shop.Last, json.GetProperty("target").GetString());
        var steps = json.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(Shop.MigrationIds, steps.Select(s => s.GetProperty("migration").GetString()));
        Assert.All(steps, s => Assert.Equal("apply", s.GetProperty("action").GetString()));
        Assert.All(steps, s => Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("operations").GetString())));
        Assert.Empty(Pg.History(session.ConnectionString));
        Assert.DoesNotContain(Pg.Tables(session.ConnectionString), t => !t.StartsWith("__", StringComparison.Ordinal));

        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var archives = session.Archives().Count;

        var planBack = session.Run("plan", third, "--json");
        Assert.True(planBack.ExitCode == 0, planBack.Describe());
        var back = ToolSession.Json(planBack);
        Assert.Equal(third, back.GetProperty("target").GetString());
        var backSteps = back.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(Shop.MigrationIds.Skip(3).Reverse(), backSteps.Select(s => s.GetProperty("migration").GetString()));
        Assert.All(backSteps, s => Assert.Equal("revert", s.GetProperty("action").GetString()));

        var planZero = session.Run("plan", "0", "--json");
        Assert.True(planZero.ExitCode == 0, planZero.Describe());
        var zero = ToolSession.Json(planZero);
        Assert.Equal("0", zero.GetProperty("target").GetString());
        Assert.Equal(Shop.MigrationIds.Reverse(), zero.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("migration").GetString()));

        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(archives, session.Archives().Count);
    }

    [Fact]
    public void Status_reports_applied_pending_and_unknown_migrations()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        var apply = session.Run("apply", third);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        const string foreign = "20261121000000_FromAnotherBranch";
        Pg.Execute(session.ConnectionString,
            $"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ('{foreign}', '10.0.14')");

        var status = session.Status();

        var expected = Shop.MigrationIds.ToDictionary(id => id, id => string.CompareOrdinal(id, third) <= 0 ? "applied" : "pending");
        expected[foreign] = "unknown";
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), status.OrderBy(p => p.Key, StringComparer.Ordinal));
    }
}
