using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

[ExpectedSeconds(105)]
public class KillTests(ITestOutputHelper output)
{
    private const int Iterations = 12;

    private static FixtureProject Shop => FixtureProjects.Shop;

    /// <summary>
    /// SIGKILL of the whole process tree at a random moment of an apply leaves a prefix of the migrations
    /// applied with exactly that prefix's schema, <c>status</c> agreeing, and the next apply completes.
    /// The delays are seeded (SAFE_MIGRATE_E2E_SEED overrides the seed) and spread over a measured apply:
    /// half of them over the whole run (start-up, build check, backup, migrations), counted from the start;
    /// the other half over the migrations phase alone (from the first "Applying" line to the "Done" line),
    /// counted from the moment the first "Applying" line appears, because that phase is short.
    /// </summary>
    [Fact]
    public void Apply_killed_at_random_moments_leaves_a_consistent_prefix_and_the_next_apply_completes()
    {
        var reference = ReferenceSchemas.Shop;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SAFE_MIGRATE_E2E_SEED"), out var s) ? s : 20261121;
        var random = new Random(seed);

        TimeSpan total, migrationsPhase;
        using (var measure = ToolSession.Create(Shop, output))
        {
            using var process = measure.Start("apply");
            TimeSpan? firstApplying = null, done = null;
            while (!process.HasExited && process.Elapsed < TimeSpan.FromMinutes(3))
            {
                var stderr = process.CurrentStdErr;
                firstApplying ??= stderr.Contains("Applying ", StringComparison.Ordinal) ? process.Elapsed : null;
                done ??= stderr.Contains("Done", StringComparison.Ordinal) ? process.Elapsed : null;
                Thread.Sleep(2);
            }

            var full = process.WaitForExit(TimeSpan.FromMinutes(1));
            measure.Log(full);
            Assert.True(full.ExitCode == 0, full.Describe());
            total = full.Duration;
            if (firstApplying is not null)
            {
                migrationsPhase = (done ?? total) - firstApplying.Value + TimeSpan.FromMilliseconds(20);
            }
            else
            {
                // On a busy machine the output can be read only after the process has exited (the migrations take about
                // 100 ms): then the tool's own summary line says how long they took.
                var summary = Regex.Match(full.StdErr, @"Done: \d+ step\(s\) in (\d+(?:\.\d+)?) (ms|s)\.");
                Assert.True(summary.Success && full.StdErr.Contains("Applying ", StringComparison.Ordinal), "no \"Applying\" line seen: " + full.Describe());
                var amount = double.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                migrationsPhase = (summary.Groups[2].Value == "s" ? TimeSpan.FromSeconds(amount) : TimeSpan.FromMilliseconds(amount)) + TimeSpan.FromMilliseconds(20);
            }
        }

        output.WriteLine($"seed {seed}; a full apply takes {total.TotalMilliseconds:0} ms, its migrations about {migrationsPhase.TotalMilliseconds:0} ms");
        var seen = new SortedDictionary<int, int>();
        for (var i = 0; i < Iterations; i++)
        {
            // Stratified: one delay in each of Iterations/2 equal slices of the span.
            var fromApplying = i % 2 == 1;
            var span = fromApplying ? migrationsPhase : total;
            var delay = TimeSpan.FromMilliseconds(span.TotalMilliseconds * (i / 2 + random.NextDouble()) / (Iterations / 2));
            using var session = ToolSession.Create(Shop, output);
            var cs = session.ConnectionString;

            using (var process = session.Start("apply"))
            {
                if (fromApplying)
                {
                    while (!process.HasExited && !process.CurrentStdErr.Contains("Applying ", StringComparison.Ordinal) && process.Elapsed < TimeSpan.FromMinutes(2))
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
                output.WriteLine($"iteration {i}: kill {delay.TotalMilliseconds:0} ms after {(fromApplying ? "the first \"Applying\" line" : "the start")}{(finishedFirst ? " (had already finished)" : "")}");
                session.Log(killed);
            }

            Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, session.DatabaseName, TimeSpan.FromSeconds(30));

            var history = Pg.History(cs);
            Assert.True(history.SequenceEqual(Shop.MigrationIds.Take(history.Count)),
                $"iteration {i}: the history [{string.Join(", ", history)}] is not a prefix of the migrations");
            var applied = history.Count;
            seen[applied] = seen.GetValueOrDefault(applied) + 1;
            // One pg_dump (the message is built only when the schemas differ).
            var schema = Pg.SchemaDump(cs, excludeBookkeeping: true);
            if (reference[applied] != schema)
            {
                Assert.Fail($"iteration {i}: after {applied} applied migrations the schema differs from the reference:{Environment.NewLine}" +
                    Diff(reference[applied], schema));
            }

            // Archives are renamed into place only once verified: whatever the kill interrupted, every archive
            // in the folder has its sidecar.
            foreach (var archive in session.Archives())
            {
                Assert.True(File.Exists(archive + ".json"), $"iteration {i}: {archive} has no sidecar");
            }

            var status = session.Status();
            Assert.Equal(
                Shop.MigrationIds.Select((id, index) => (id, index < applied ? "applied" : "pending")),
                status.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));

            var resume = session.Run("apply");
            Assert.True(resume.ExitCode == 0, $"iteration {i}: {resume.Describe()}");
            Assert.Equal(Shop.MigrationIds, Pg.History(cs));
            Assert.Equal(reference[^1], Pg.SchemaDump(cs, excludeBookkeeping: true));
        }

        output.WriteLine("applied migrations at the kill → iterations: " + string.Join(", ", seen.Select(p => $"{p.Key}→{p.Value}")));
    }

    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        return "only in reference: " + string.Join(" | ", e.Except(a)) + Environment.NewLine +
               "only in database: " + string.Join(" | ", a.Except(e));
    }
}
