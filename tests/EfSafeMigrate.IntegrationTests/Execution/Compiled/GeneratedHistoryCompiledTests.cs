using System.Diagnostics;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.IntegrationTests.Journal;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Locking;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// Compiled migrations on a generated 200-migration history (<see cref="GeneratedHistory"/>, shaped like a real
/// application's): an apply without the cache, one that fills it (cold) and one from it (warm), each on its own empty
/// database, send byte-identical SQL (every command, in order) and give identical databases (<c>pg_dump --schema-only</c>
/// and the history rows); so do the reverts of the newest 20 migrations. Prints the time of each run.
/// </summary>
public sealed class GeneratedHistoryCompiledTests(ITestOutputHelper output) : CompiledRunTests
{
    [Fact]
    public async Task Cached_and_uncached_applies_of_200_migrations_send_the_same_SQL_and_build_the_same_databases()
    {
        var checksums = GeneratedHistory.Ids.ToDictionary(id => id, id => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))), StringComparer.Ordinal);
        var plain = await NewDatabaseAsync();
        var cold = await NewDatabaseAsync();
        var warm = await NewDatabaseAsync();

        var plainRun = await RunAsync("uncached apply", plain, target: null, checksums: null);
        var coldRun = await RunAsync("cold apply", cold, target: null, checksums);
        var warmRun = await RunAsync("warm apply", warm, target: null, checksums);

        Assert.Equal(GeneratedHistory.Count, plainRun.Result.Completed.Count);
        Assert.Equal((0, GeneratedHistory.Count), (coldRun.Compiled!.Hits, coldRun.Compiled.Misses));
        Assert.Equal((GeneratedHistory.Count, 0), (warmRun.Compiled!.Hits, warmRun.Compiled.Misses));
        AssertSameCommands(plainRun.Executed, coldRun.Executed);
        AssertSameCommands(plainRun.Executed, warmRun.Executed);
        Assert.Contains(plainRun.Executed, sql => sql.Contains("CREATE VIEW \"View", StringComparison.Ordinal));
        Assert.Contains(plainRun.Executed, sql => sql.Contains("RENAME COLUMN", StringComparison.Ordinal));
        await AssertSameDatabasesWithViewsAsync(plain, cold, warm);
        Assert.Equal(GeneratedHistory.Ids, await HistoryIdsAsync(warm));

        var target = GeneratedHistory.Ids[^21];
        var plainRevert = await RunAsync("uncached revert", plain, target, checksums: null);
        var coldRevert = await RunAsync("cold revert", cold, target, checksums);
        var warmRevert = await RunAsync("warm revert", warm, target, checksums);

        Assert.Equal(20, plainRevert.Result.Completed.Count);
        Assert.Equal((0, 20), (coldRevert.Compiled!.Hits, coldRevert.Compiled.Misses));
        Assert.Equal((20, 0), (warmRevert.Compiled!.Hits, warmRevert.Compiled.Misses));
        AssertSameCommands(plainRevert.Executed, coldRevert.Executed);
        AssertSameCommands(plainRevert.Executed, warmRevert.Executed);
        await AssertSameDatabasesWithViewsAsync(plain, cold, warm);
        Assert.Equal(GeneratedHistory.Ids.Take(GeneratedHistory.Count - 20), await HistoryIdsAsync(warm));
    }

    // Byte for byte, in order; on a difference, the first command that differs (a 200-migration list is unreadable whole).
    private static void AssertSameCommands(List<string> expected, List<string> actual)
    {
        var first = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => !string.Equals(expected[i], actual[i], StringComparison.Ordinal), -1);
        Assert.True(first < 0, first < 0 ? string.Empty : $"command {first} differs:\n{expected[first]}\n---\n{actual[first]}");
        Assert.Equal(expected.Count, actual.Count);
    }

    private Task<TestDatabase> NewDatabaseAsync() => NewDatabaseAsync("generated_history");

    // One apply or revert through the plan runner; with checksums, from and into the compiled-migrations cache in the temp folder.
    private async Task<Run> RunAsync(string name, TestDatabase database, string? target, Dictionary<string, string>? checksums)
    {
        var executed = new List<string>();
        await using var context = new GeneratedHistoryContext(database.ConnectionString, executed);
        var migrator = new SafeMigrator(context);
        var compiled = checksums is null ? null : migrator.UseCompiledMigrations(new CompiledMigrationCache(Path.Combine(TempPath, "compiled")), checksums.GetValueOrDefault);
        var runner = new PlanRunner(migrator, new PgAdvisoryLock((NpgsqlConnection)context.Database.GetDbConnection()), backup: null, new RecordingObserver());
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync(new PlanRunOptions(target, TimeSpan.FromSeconds(60), BackupFolder: null));
        output.WriteLine($"{name}: {result.Completed.Count} step(s) in {clock.ElapsedMilliseconds} ms, {executed.Count} command(s)");
        return new Run(result, compiled, executed);
    }

    // The same schema and history rows; the schema holds the history's views (Sql() steps ran).
    private static async Task AssertSameDatabasesWithViewsAsync(TestDatabase expected, params TestDatabase[] others)
        => Assert.Contains("CREATE VIEW", await AssertSameDatabasesAsync(expected, others), StringComparison.Ordinal);

    private static async Task<List<string>> HistoryIdsAsync(TestDatabase database)
        => (await HistoryRowsAsync(database)).Select(row => row.Split(' ')[0]).ToList();

    private sealed record Run(PlanRunResult Result, CompiledMigrations? Compiled, List<string> Executed);
}
