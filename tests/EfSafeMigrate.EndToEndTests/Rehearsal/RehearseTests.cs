using EfSafeMigrate.EndToEndTests.Execution;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Rehearsal;

[ExpectedSeconds(55)]
public class RehearseTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Rehearse_on_the_sample_applies_measures_and_round_trips_the_pending_migrations_and_changes_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        Assert.True(session.Run("apply", third).ExitCode == 0);
        Pg.Execute(session.ConnectionString, "INSERT INTO \"Categories\" (\"Name\") VALUES ('Books'); INSERT INTO \"Customers\" (\"Email\", \"FullName\") VALUES ('a@example.com', 'Ada');");
        var before = RehearsalFixtures.Snapshot(session.ConnectionString);

        var rehearse = session.Run("rehearse", "--json");

        Assert.True(rehearse.ExitCode == 0, rehearse.Describe());
        var json = ToolSession.Json(rehearse);
        Assert.True(json.GetProperty("succeeded").GetBoolean());
        Assert.Equal("template", json.GetProperty("copyMethod").GetString());
        Assert.StartsWith(session.DatabaseName + "_rehearsal_", json.GetProperty("copy").GetString());
        var migrations = json.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(Shop.MigrationIds.Skip(3), migrations.Select(m => m.GetProperty("id").GetString()));
        Assert.All(migrations, m =>
        {
            Assert.Equal("ok", m.GetProperty("roundTrip").GetString());
            Assert.True(m.GetProperty("durationMs").GetInt64() >= 0);
        });
        var last = migrations[^1];
        Assert.Contains(last.GetProperty("tables").EnumerateArray(),
            t => t.GetProperty("table").GetString() == "public.Orders" && t.GetProperty("bytesBefore").ValueKind == System.Text.Json.JsonValueKind.Null && t.GetProperty("bytesAfter").GetInt64() > 0);

        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));

        var table = session.Run("rehearse", "--no-roundtrip");
        Assert.True(table.ExitCode == 0, table.Describe());
        Assert.Contains(Shop.Last, table.StdOut);
        Assert.Contains("Rehearsal passed", table.StdErr);
        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));
    }

    [Fact]
    public void Rehearse_names_the_migration_whose_Down_does_not_restore_the_schema_and_the_difference()
    {
        var project = RehearsalFixtures.ShopWithLossyDown;
        using var session = ToolSession.Create(project, output);
        Assert.True(session.Run("apply", Shop.Last).ExitCode == 0);
        var before = RehearsalFixtures.Snapshot(session.ConnectionString);

        var rehearse = session.Run("rehearse", "--json");

        Assert.True(rehearse.ExitCode == 1, rehearse.Describe());
        var json = ToolSession.Json(rehearse);
        Assert.False(json.GetProperty("succeeded").GetBoolean());
        var migration = Assert.Single(json.GetProperty("migrations").EnumerateArray());
        Assert.Equal(project.Id("AddCustomerNotes"), migration.GetProperty("id").GetString());
        Assert.Equal("different", migration.GetProperty("roundTrip").GetString());
        var difference = Assert.Single(migration.GetProperty("roundTripDifferences").EnumerateArray());
        Assert.Equal("index public.\"IX_Products_Name\"", difference.GetProperty("object").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, difference.GetProperty("beforeUp").ValueKind);
        Assert.Contains("CREATE INDEX \"IX_Products_Name\"", difference.GetProperty("afterDown").GetString());
        Assert.Contains($"Down of '{project.Id("AddCustomerNotes")}' does not restore the schema: index public.\"IX_Products_Name\"", rehearse.StdErr);

        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));
    }

    [Fact]
    public void Rehearse_with_another_session_connected_copies_through_a_fresh_backup_and_from_backup_uses_an_existing_one()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        Assert.True(session.Run("apply", third).ExitCode == 0);
        var backup = session.Run("backup", "create", "--json");
        Assert.True(backup.ExitCode == 0, backup.Describe());
        var archive = ToolSession.Json(backup).GetProperty("path").GetString()!;
        var before = RehearsalFixtures.Snapshot(session.ConnectionString);

        using (var other = Pg.Open(session.ConnectionString))
        {
            var rehearse = session.Run("rehearse", "--json");

            Assert.True(rehearse.ExitCode == 0, rehearse.Describe());
            Assert.Equal("backup", ToolSession.Json(rehearse).GetProperty("copyMethod").GetString());
            Assert.Contains("other session(s) are connected", rehearse.StdErr);
            Assert.Equal(System.Data.ConnectionState.Open, other.State); // never terminated
        }

        var fromBackup = session.Run("rehearse", "--from-backup", archive, "--json");
        Assert.True(fromBackup.ExitCode == 0, fromBackup.Describe());
        Assert.Equal("from-backup", ToolSession.Json(fromBackup).GetProperty("copyMethod").GetString());
        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));

        var missing = session.Run("rehearse", "--from-backup", Path.Combine(session.WorkDir, "nope.dump"));
        Assert.True(missing.ExitCode == 2, missing.Describe());
        Assert.Contains("nope.dump", missing.StdErr);
    }

    [Fact]
    public void A_killed_rehearse_leaves_a_copy_that_status_names_and_the_next_rehearse_drops()
    {
        var project = ExecutionFixtures.ShopWithSlowMigration;
        using var session = ToolSession.Create(project, output);
        Assert.True(session.Run("apply", Shop.MigrationIds[2]).ExitCode == 0);
        var before = RehearsalFixtures.Snapshot(session.ConnectionString);

        using (var process = session.Start("rehearse"))
        {
            while (!process.HasExited && !process.CurrentStdErr.Contains("SlowStep", StringComparison.Ordinal) && process.Elapsed < TimeSpan.FromMinutes(2))
            {
                Thread.Sleep(10);
            }

            Assert.False(process.HasExited, process.CurrentStdErr);
            process.KillTree();
            session.Log(process.WaitForExit(TimeSpan.FromSeconds(30)));
        }

        var leftover = Assert.Single(RehearsalFixtures.Copies(session.DatabaseName));
        Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, leftover, TimeSpan.FromSeconds(30));

        var status = session.Run("status");
        Assert.True(status.ExitCode == 0, status.Describe());
        Assert.Contains($"\"{leftover}\" is a scratch copy left by a rehearsal", status.StdErr);

        var rehearse = session.Run("rehearse", "--no-roundtrip");
        Assert.True(rehearse.ExitCode == 0, rehearse.Describe());
        Assert.Contains($"Dropped \"{leftover}\"", rehearse.StdErr);
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));
        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
    }

    [Fact]
    public void Ctrl_C_during_a_rehearsal_drops_the_copy_and_exits_130()
    {
        var project = ExecutionFixtures.ShopWithSlowMigration;
        using var session = ToolSession.Create(project, output);
        Assert.True(session.Run("apply", Shop.MigrationIds[2]).ExitCode == 0);
        var before = RehearsalFixtures.Snapshot(session.ConnectionString);

        using var process = session.Start("rehearse");
        while (!process.HasExited && !process.CurrentStdErr.Contains("SlowStep", StringComparison.Ordinal) && process.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(10);
        }

        Assert.False(process.HasExited, process.CurrentStdErr);
        ExecutionFixtures.Signal(process.Id, 2);
        var result = process.WaitForExit(TimeSpan.FromMinutes(1));
        session.Log(result);

        Assert.True(result.ExitCode == 130, result.Describe());
        Assert.Contains("Interrupted by SIGINT", result.StdErr);
        Assert.Empty(RehearsalFixtures.Copies(session.DatabaseName));
        Assert.Equal(before, RehearsalFixtures.Snapshot(session.ConnectionString));
    }
}
