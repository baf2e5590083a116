using System.Diagnostics;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// A migration's ALTER TABLE queued behind a long reader must not hold up every other query on the table for
/// longer than the lock timeout (PostgreSQL queues later lock requests behind the waiting ACCESS EXCLUSIVE one):
/// apply runs each migration with lock_timeout, retries, and when it gives up exits 5 naming the blocking session
/// and the SQL that would end it, without ending it.
/// </summary>
public class DdlLockTimeoutTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Apply_blocked_by_a_reader_holds_other_readers_at_most_the_lock_timeout_and_exits_5_naming_the_blocker()
    {
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        var initial = Shop.MigrationIds[0];
        var first = session.Run("apply", initial, "--no-backup");
        Assert.True(first.ExitCode == 0, first.Describe());

        // The long reader: an open transaction that read "Products" (ACCESS SHARE lock until it ends).
        using var holder = Pg.Open(new NpgsqlConnectionStringBuilder(cs) { ApplicationName = "e2e-long-report" }.ConnectionString);
        using var transaction = holder.BeginTransaction();
        using (var read = new NpgsqlCommand("SELECT count(*) FROM \"Products\"", holder, transaction))
        {
            read.ExecuteScalar();
        }

        var holderPid = holder.ProcessID;
        const double lockTimeoutSeconds = 1;
        using var apply = session.Start("apply", "--no-backup", "--ddl-lock-timeout", "1", "--ddl-lock-retries", "2");

        // Other readers of the table, one query after the other, each timed: while the ALTER TABLE waits they queue
        // behind it, and must get through within the lock timeout.
        var latencies = new List<double>();
        using (var reader = Pg.Open(new NpgsqlConnectionStringBuilder(cs) { ApplicationName = "e2e-other-reader", CommandTimeout = 60 }.ConnectionString))
        {
            while (!apply.HasExited && apply.Elapsed < TimeSpan.FromSeconds(90))
            {
                var clock = Stopwatch.StartNew();
                using (var query = new NpgsqlCommand("SELECT count(*) FROM \"Products\"", reader))
                {
                    query.ExecuteScalar();
                }

                latencies.Add(clock.Elapsed.TotalSeconds);
                Thread.Sleep(20);
            }
        }

        var result = apply.WaitForExit(TimeSpan.FromSeconds(30));
        session.Log(result);
        var blocked = latencies.Where(l => l > 0.05).ToList();
        output.WriteLine($"MEASURE readers blocked by a waiting migration: {latencies.Count} reads, {blocked.Count} held up > 50 ms, longest {latencies.DefaultIfEmpty().Max():0.000} s (lock timeout {lockTimeoutSeconds} s)");

        Assert.True(result.ExitCode == 5, result.Describe());
        Assert.Contains(Shop.MigrationIds[1], result.StdErr);
        Assert.Contains("55P03", result.StdErr);
        Assert.Contains($"pid {holderPid} ", result.StdErr);
        Assert.Contains("e2e-long-report", result.StdErr);
        Assert.Contains("idle in transaction", result.StdErr);
        Assert.Contains("SELECT count(*) FROM \"Products\"", result.StdErr);
        Assert.Contains($"SELECT pg_terminate_backend({holderPid});", result.StdErr);
        Assert.Contains("3 attempt(s)", result.StdErr);
        Assert.DoesNotContain("Exception while reading from stream", result.StdErr);

        // Readers were held up, but never longer than the lock timeout (plus the query itself and scheduling slack on a
        // busy machine; without a lock timeout they wait as long as the long reader's transaction lasts).
        Assert.NotEmpty(blocked);
        Assert.True(latencies.Max() <= lockTimeoutSeconds + 0.75, $"a reader waited {latencies.Max():0.000} s");

        // Nothing of the blocked migration stayed, and the blocking session was left alone.
        Assert.Equal([initial], Pg.History(cs));
        Assert.False(Pg.ColumnExists(cs, "Products", "Sku"));
        using (var stillThere = new NpgsqlCommand("SELECT 1", holder, transaction))
        {
            Assert.Equal(1, stillThere.ExecuteScalar());
        }

        transaction.Rollback();
        var resume = session.Run("apply", "--no-backup");
        Assert.True(resume.ExitCode == 0, resume.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
    }

    [Fact]
    public void Apply_retries_a_migration_that_hit_the_lock_timeout_and_completes_once_the_reader_is_gone()
    {
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        var first = session.Run("apply", Shop.MigrationIds[0], "--no-backup");
        Assert.True(first.ExitCode == 0, first.Describe());

        using var holder = Pg.Open(new NpgsqlConnectionStringBuilder(cs) { ApplicationName = "e2e-short-report" }.ConnectionString);
        var transaction = holder.BeginTransaction();
        using (var read = new NpgsqlCommand("SELECT count(*) FROM \"Products\"", holder, transaction))
        {
            read.ExecuteScalar();
        }

        using var apply = session.Start("apply", "--no-backup", "--ddl-lock-timeout", "1", "--ddl-lock-retries", "5");
        Assert.True(ExecutionFixtures.WaitFor(apply, () => apply.CurrentStdErr.Contains("Trying again", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), apply.CurrentStdErr);
        transaction.Commit();
        var result = apply.WaitForExit(TimeSpan.FromMinutes(2));
        session.Log(result);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("e2e-short-report", result.StdErr);
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
    }
}
