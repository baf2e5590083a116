using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// SIGTERM / SIGINT to the tool during a multi-migration apply: the signal reaches the inner process (the one
/// applying migrations), which stops at a safe point — the running migration (SlowStep, 3 s) is cancelled and
/// rolled back, no further migration starts — and the tool exits 143 / 130 with no process of it left.
/// </summary>
[ExpectedSeconds(45)]
public class SignalTests(ITestOutputHelper output)
{
    private static FixtureProject Slow => ExecutionFixtures.ShopWithSlowMigration;

    [Theory]
    [InlineData(15, 143, 0.3)]
    [InlineData(15, 143, 1.5)]
    [InlineData(2, 130, 0.8)]
    public void Signal_during_a_slow_migration_rolls_it_back_starts_nothing_after_and_leaves_no_process(int signal, int exitCode, double delaySeconds)
    {
        using var session = ToolSession.Create(Slow, output);
        var cs = session.ConnectionString;
        var slowStep = Slow.Id("SlowStep");
        var before = Slow.UpTo(Slow.Id("RenameCustomerName"));

        using var apply = session.Start("apply");
        Assert.True(ExecutionFixtures.WaitFor(apply, () => apply.CurrentStdErr.Contains($"Applying {slowStep}", StringComparison.Ordinal), TimeSpan.FromMinutes(2)),
            apply.CurrentStdErr);
        var inner = ExecutionFixtures.Children(apply.Id);
        Assert.NotEmpty(inner);
        Thread.Sleep(TimeSpan.FromSeconds(delaySeconds));
        var startedAtSignal = Count(apply.CurrentStdErr, "Applying ");
        ExecutionFixtures.Signal(apply.Id, signal);
        var result = apply.WaitForExit(TimeSpan.FromSeconds(60));
        session.Log(result);

        var startedAfter = Count(result.StdErr, "Applying ") - startedAtSignal;
        output.WriteLine($"MEASURE signal {signal} {delaySeconds} s into {slowStep}: migrations started after the signal: {startedAfter}; exit {result.ExitCode} after {result.Duration.TotalSeconds:0.0} s");
        Assert.False(result.TimedOut, result.Describe());
        Assert.True(result.ExitCode == exitCode, result.Describe());
        Assert.Equal(0, startedAfter);
        Assert.Contains("rolled back", result.StdErr);
        Assert.Contains(slowStep, result.StdErr);

        // No process of the tool is left: the inner process (and anything it started) ended too.
        foreach (var pid in inner)
        {
            Assert.False(ExecutionFixtures.IsAlive(pid), $"process {pid} of the tool is still running");
        }

        Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, session.DatabaseName, TimeSpan.FromSeconds(10));

        // The database is at the migration boundary before SlowStep: its table rolled back, nothing after it ran.
        Assert.Equal(before, Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "SlowMarker"), "SlowStep's table survived: " + Pg.Describe(cs));
        Assert.False(Pg.IndexExists(cs, "IX_Products_Sku"), "a migration after SlowStep ran");

        var resume = session.Run("apply");
        Assert.True(resume.ExitCode == 0, resume.Describe());
        Assert.Equal(Slow.MigrationIds, Pg.History(cs));
    }

    [Fact]
    public void Killing_only_the_outer_process_stops_the_inner_one_at_a_safe_point()
    {
        using var session = ToolSession.Create(Slow, output);
        var cs = session.ConnectionString;
        var slowStep = Slow.Id("SlowStep");

        using var apply = session.Start("apply", "--no-backup");
        Assert.True(ExecutionFixtures.WaitFor(apply, () => apply.CurrentStdErr.Contains($"Applying {slowStep}", StringComparison.Ordinal), TimeSpan.FromMinutes(2)),
            apply.CurrentStdErr);
        var inner = ExecutionFixtures.Children(apply.Id);
        Assert.NotEmpty(inner);
        ExecutionFixtures.Signal(apply.Id, 9); // SIGKILL: nothing can be forwarded
        var result = apply.WaitForExit(TimeSpan.FromSeconds(60));
        session.Log(result);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (inner.Any(ExecutionFixtures.IsAlive) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(50);
        }

        Assert.False(inner.Any(ExecutionFixtures.IsAlive), "the inner process went on alone");
        Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, session.DatabaseName, TimeSpan.FromSeconds(10));
        Assert.Equal(Slow.UpTo(Slow.Id("RenameCustomerName")), Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "SlowMarker"), "SlowStep's table survived: " + Pg.Describe(cs));
    }

    [Fact]
    public void Sigterm_during_the_backup_kills_pg_dump_removes_the_partial_archive_and_applies_nothing()
    {
        using var session = ToolSession.Create(Slow, output);
        var cs = session.ConnectionString;
        var initial = Slow.MigrationIds[0];
        var first = session.Run("apply", initial, "--no-backup");
        Assert.True(first.ExitCode == 0, first.Describe());

        // pg_dump waits for its ACCESS SHARE lock behind this session's ACCESS EXCLUSIVE one, so the signal
        // surely arrives while it runs.
        using var holder = Pg.Open(cs);
        using var transaction = holder.BeginTransaction();
        using (var lockTable = new global::Npgsql.NpgsqlCommand("LOCK TABLE \"Products\" IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        // --allow-unsafe: the lint before the backup cannot measure the locked table, so its findings keep their
        // default severity (errors for the sample's non-concurrent index and dropped column); this test is about
        // the signal reaching pg_dump, not about lint.
        using var apply = session.Start("apply", "--allow-unsafe");
        var pgDump = 0;
        Assert.True(ExecutionFixtures.WaitFor(apply, () =>
        {
            pgDump = ExecutionFixtures.Children(apply.Id).SelectMany(ExecutionFixtures.Children)
                .FirstOrDefault(pid => ExecutionFixtures.CommandLines().GetValueOrDefault(pid, "") is var line
                    && line.Contains("pg_dump", StringComparison.Ordinal) && line.Contains("--file=", StringComparison.Ordinal)); // the dump, not --version
            return pgDump != 0;
        }, TimeSpan.FromMinutes(2)), apply.CurrentStdErr);
        Assert.True(ExecutionFixtures.WaitFor(apply, () => Partials(session).Length > 0, TimeSpan.FromSeconds(10)), "no .partial archive appeared");
        var inner = ExecutionFixtures.Children(apply.Id);
        ExecutionFixtures.Signal(apply.Id, 15);
        var result = apply.WaitForExit(TimeSpan.FromSeconds(60));
        session.Log(result);
        transaction.Rollback();

        Assert.True(result.ExitCode == 143, result.Describe());
        Assert.False(ExecutionFixtures.IsAlive(pgDump), $"pg_dump ({pgDump}) is still running");
        foreach (var pid in inner)
        {
            Assert.False(ExecutionFixtures.IsAlive(pid), $"process {pid} of the tool is still running");
        }

        Assert.Empty(Partials(session));
        Assert.Empty(session.Archives());
        Assert.DoesNotContain("Applying ", result.StdErr);
        Assert.Equal([initial], Pg.History(cs));
    }

    private static string[] Partials(ToolSession session) =>
        Directory.Exists(session.BackupDir) ? Directory.GetFiles(session.BackupDir, "*.partial") : [];

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
