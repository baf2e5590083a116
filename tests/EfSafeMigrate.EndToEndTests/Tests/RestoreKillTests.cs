using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

[ExpectedSeconds(85)]
public class RestoreKillTests(ITestOutputHelper output)
{
    private const int Iterations = 24;

    private static FixtureProject Shop => FixtureProjects.Shop;

    /// <summary>
    /// SIGKILL of the whole process tree at a random moment of <c>rollback --backup</c> (restore over the database) never
    /// makes the database disappear: afterwards it is reachable under its name, with exactly the content it had before
    /// (all migrations) or the restored one (the first three), never missing or empty; leftovers are named by
    /// <c>status</c> and removed by <c>backup cleanup</c>. Each iteration restores the backup whose content the database
    /// does not have, so "old" and "restored" can be told apart. Delays are seeded (SAFE_MIGRATE_E2E_SEED) and stratified:
    /// half over the whole run from the start, half over the restore itself (from the "Restoring" line to the end), where
    /// pg_restore and the swap happen.
    /// </summary>
    [Fact]
    public void Restore_killed_at_random_moments_never_loses_the_database()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SAFE_MIGRATE_E2E_SEED"), out var s) ? s : 20261129;
        var random = new Random(seed);
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        var server = E2eDatabase.ServerConnectionString;
        var third = Shop.MigrationIds[2];
        Assert.True(session.Run("apply", third).ExitCode == 0);
        var atThird = ToolSession.Json(session.Run("backup", "create", "--json")).GetProperty("path").GetString()!;
        Assert.True(session.Run("apply").ExitCode == 0);
        var atLast = ToolSession.Json(session.Run("backup", "create", "--json")).GetProperty("path").GetString()!;
        var schemas = new Dictionary<int, string>
        {
            [3] = ReferenceSchemas.ShopAfter(third),
            [Shop.MigrationIds.Count] = ReferenceSchemas.Shop[^1],
        };

        // Measured on the second of two restores (the first one warms the server's and the machine's caches up).
        TimeSpan total = TimeSpan.Zero, restorePhase = TimeSpan.Zero;
        foreach (var archive in new[] { atThird, atLast })
        {
            using var measure = session.Start("rollback", "--backup", archive, "--yes", "--no-backup");
            TimeSpan? restoring = null;
            while (!measure.HasExited && measure.Elapsed < TimeSpan.FromMinutes(3))
            {
                restoring ??= measure.CurrentStdErr.Contains("Restoring ", StringComparison.Ordinal) ? measure.Elapsed : null;
                Thread.Sleep(2);
            }

            var full = measure.WaitForExit(TimeSpan.FromMinutes(1));
            session.Log(full);
            Assert.True(full.ExitCode == 0, full.Describe());
            total = full.Duration;
            restorePhase = full.Duration - (restoring ?? TimeSpan.Zero);
        }

        output.WriteLine($"seed {seed}; a restore takes {total.TotalMilliseconds:0} ms, {restorePhase.TotalMilliseconds:0} ms of it after the \"Restoring\" line");
        int lost = 0, old = 0, restored = 0, leftovers = 0;
        for (var i = 0; i < Iterations; i++)
        {
            var before = Pg.History(cs).Count;
            var archive = before == 3 ? atLast : atThird;
            var expectedRestored = before == 3 ? Shop.MigrationIds.Count : 3;
            var fromRestoring = i % 2 == 1;
            var span = fromRestoring ? restorePhase : total;
            var delay = TimeSpan.FromMilliseconds(span.TotalMilliseconds * (i / 2 + random.NextDouble()) / (Iterations / 2));

            using (var process = session.Start("rollback", "--backup", archive, "--yes", "--no-backup"))
            {
                if (fromRestoring)
                {
                    while (!process.HasExited && !process.CurrentStdErr.Contains("Restoring ", StringComparison.Ordinal) && process.Elapsed < TimeSpan.FromMinutes(2))
                    {
                        Thread.Sleep(1);
                    }
                }

                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (clock.Elapsed < delay && !process.HasExited)
                {
                    Thread.Sleep(1);
                }

                var finishedFirst = process.HasExited;
                process.KillTree();
                var killed = process.WaitForExit(TimeSpan.FromSeconds(30));
                output.WriteLine($"iteration {i}: kill {delay.TotalMilliseconds:0} ms after {(fromRestoring ? "the \"Restoring\" line" : "the start")}{(finishedFirst ? " (had already finished)" : "")}");
                session.Log(killed);
            }

            // Let the server notice the killed sessions (it rolls back an open swap transaction then) and finish what a
            // killed client had asked for (a DROP DATABASE of the old copy goes on without its client): no session of the
            // tool (its own, named "dotnet-safe-migrate ...", or pg_restore's, "safe-migrate") and none on the databases.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Pg.Strings(server, $"SELECT datname::text FROM pg_stat_activity WHERE (datname LIKE {Pg.Literal(session.DatabaseName + "%")} OR application_name LIKE '%safe-migrate%') AND pid <> pg_backend_pid()").Count > 0
                   && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }

            if (!Pg.DatabaseExists(server, session.DatabaseName))
            {
                lost++;
                Assert.Fail($"iteration {i}: database {session.DatabaseName} is missing; databases: {string.Join(", ", Pg.Strings(server, "SELECT datname::text FROM pg_database"))}");
            }

            var after = Pg.History(cs).Count;
            Assert.True(after == before || after == expectedRestored,
                $"iteration {i}: {after} migrations in the history, expected {before} (old) or {expectedRestored} (restored)");
            Assert.Equal(schemas[after], Pg.SchemaDump(cs, excludeBookkeeping: true));
            if (after == before)
            {
                old++;
            }
            else
            {
                restored++;
            }

            var left = Pg.Strings(server, $"SELECT datname::text FROM pg_database WHERE datname LIKE {Pg.Literal(session.DatabaseName + "\\_%")}");
            if (left.Count > 0)
            {
                leftovers++;
                var status = session.Run("status");
                Assert.True(status.ExitCode == 0, status.Describe());
                foreach (var name in left)
                {
                    Assert.Contains(name, status.StdErr);
                }

                var cleanup = session.Run("backup", "cleanup", "--yes");
                Assert.True(cleanup.ExitCode == 0, cleanup.Describe());
                Assert.Empty(Pg.Strings(server, $"SELECT datname::text FROM pg_database WHERE datname LIKE {Pg.Literal(session.DatabaseName + "\\_%")}"));
            }
        }

        output.WriteLine($"restore kill runs: {Iterations}; databases lost: {lost}; old content: {old}; restored content: {restored}; iterations that left a leftover: {leftovers}");
    }
}
