using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

public class ConcurrencyTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Two_applies_started_together_apply_each_migration_exactly_once()
    {
        using var session = ToolSession.Create(Shop, output);

        using var first = session.Start("apply", "--json");
        using var second = session.Start("apply", "--json");
        var results = new[] { first.WaitForExit(TimeSpan.FromMinutes(5)), second.WaitForExit(TimeSpan.FromMinutes(5)) };
        foreach (var result in results)
        {
            session.Log(result);
        }

        Assert.All(results, r => Assert.False(r.TimedOut, r.Describe()));
        Assert.All(results, r => Assert.True(r.ExitCode is 0 or 5, r.Describe()));
        Assert.Contains(results, r => r.ExitCode == 0);
        foreach (var failed in results.Where(r => r.ExitCode == 5))
        {
            Assert.Contains("lock", failed.Output, StringComparison.OrdinalIgnoreCase);
        }

        var cs = session.ConnectionString;
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(cs, excludeBookkeeping: true));

        // Across both runs, every migration was applied once: by one run or the other, never by both.
        var applied = results.SelectMany(AppliedSteps).ToList();
        Assert.Equal(Shop.MigrationIds, applied.Order(StringComparer.Ordinal));

        // A run that applied something took a backup first; a run with nothing left to do took none.
        var runsThatApplied = results.Count(r => AppliedSteps(r).Any());
        Assert.Equal(runsThatApplied, session.Archives().Count);
    }

    [Fact]
    public void Apply_exits_5_naming_the_lock_when_it_stays_held_past_lock_timeout_and_changes_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];

        // Learn the tool's advisory lock key by watching pg_locks while an apply holds it: on one connection, opened
        // before the apply starts, so that a busy machine's connection set-up (tens of milliseconds) does not leave gaps.
        var key = default((long Class, long Object, int SubId)?);
        using (var watcher = Pg.Open(session.ConnectionString))
        using (var first = session.Start("apply", third))
        {
            while (!first.HasExited && key is null)
            {
                key = AdvisoryLock(watcher);
            }

            session.Log(first.WaitForExit(TimeSpan.FromMinutes(3)));
        }

        Assert.True(key is not null, "no advisory lock was seen during apply");
        Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
        var archives = session.Archives();

        using (var holder = Pg.Open(session.ConnectionString))
        {
            var sql = key.Value.SubId == 1
                ? $"SELECT pg_advisory_lock({(key.Value.Class << 32) | key.Value.Object})"
                : $"SELECT pg_advisory_lock({unchecked((int)(uint)key.Value.Class)}, {unchecked((int)(uint)key.Value.Object)})";
            using (var command = new global::Npgsql.NpgsqlCommand(sql, holder))
            {
                command.ExecuteNonQuery();
            }

            var blocked = session.Run("apply", "--lock-timeout", "2");

            Assert.True(blocked.ExitCode == 5, blocked.Describe());
            Assert.Contains("lock", blocked.StdErr, StringComparison.OrdinalIgnoreCase);
            Assert.True(blocked.Duration >= TimeSpan.FromSeconds(2), $"gave up before --lock-timeout: {blocked.Describe()}");
            Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
            Assert.Equal(archives, session.Archives());
        }

        var resumed = session.Run("apply");
        Assert.True(resumed.ExitCode == 0, resumed.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
    }

    /// <summary>The advisory lock held in the database right now, if any (classid, objid, objsubid of pg_locks).</summary>
    private static (long Class, long Object, int SubId)? AdvisoryLock(global::Npgsql.NpgsqlConnection connection)
    {
        using var command = new global::Npgsql.NpgsqlCommand(
            "SELECT classid::text::bigint, objid::text::bigint, objsubid::int FROM pg_locks " +
            "WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1",
            connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)) : null;
    }

    private static IEnumerable<string> AppliedSteps(ProcessResult result)
    {
        if (result.ExitCode != 0 && result.StdOut.Trim().Length == 0)
        {
            return [];
        }

        var json = ToolSession.Json(result);
        return json.TryGetProperty("steps", out var steps) && steps.ValueKind == JsonValueKind.Array
            ? steps.EnumerateArray()
                .Where(s => s.GetProperty("action").GetString() == "apply")
                .Select(s => s.GetProperty("migration").GetString()!)
                .ToList()
            : [];
    }
}
