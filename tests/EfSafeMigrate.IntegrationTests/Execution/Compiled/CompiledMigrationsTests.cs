using EfSafeMigrate.Execution;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.IntegrationTests.Journal;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Locking;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static EfSafeMigrate.IntegrationTests.Execution.Compiled.CompiledTestMigrations;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// Compiled migrations on real PostgreSQL: a run from the cache executes exactly the commands EF Core generates (compared
/// command by command, with EF Core's transactions, history rows and suppressTransaction steps), builds the same database,
/// and builds no target model; an edited migration and a corrupt file are misses that EF Core fills again.
/// </summary>
public sealed class CompiledMigrationsTests : CompiledRunTests
{
    private static readonly Dictionary<string, string> Sums = All.ToDictionary(id => id, _ => JournalRuns.Checksum('a'));

    private string CacheFolder => Path.Combine(TempPath, "obj", "safe-migrate", "compiled");

    [Fact]
    public async Task Cached_and_uncached_runs_execute_the_same_commands_and_build_the_same_database()
    {
        var plain = await NewDatabaseAsync();
        var cold = await NewDatabaseAsync();
        var warm = await NewDatabaseAsync();

        var plainRun = await RunAsync(plain, target: null, cache: false);
        var coldRun = await RunAsync(cold, target: null, cache: true);
        var warmRun = await RunAsync(warm, target: null, cache: true);

        Assert.Equal(4, plainRun.Result.Completed.Count);
        Assert.Equal((0, 4, 4), (coldRun.Compiled!.Hits, coldRun.Compiled.Misses, coldRun.Compiled.Written)); // compiled before the first step, then run from the files written
        Assert.Equal((4, 0, 0), (warmRun.Compiled!.Hits, warmRun.Compiled.Misses, warmRun.Compiled.Written));
        Assert.Equal(0, warmRun.TargetModelsBuilt);
        Assert.True(coldRun.TargetModelsBuilt < plainRun.TargetModelsBuilt, $"cold {coldRun.TargetModelsBuilt}, plain {plainRun.TargetModelsBuilt}");
        Assert.Equal(plainRun.Executed, coldRun.Executed);
        Assert.Equal(plainRun.Executed, warmRun.Executed);
        Assert.Contains(plainRun.Executed, sql => sql.Contains("CREATE INDEX CONCURRENTLY ix_customers_name", StringComparison.Ordinal));
        _ = await AssertSameDatabasesAsync(plain, cold, warm);
        Assert.Equal(2L, await warm.ScalarAsync<long>("SELECT customer_count()"));

        var plainRevert = await RunAsync(plain, target: "0", cache: false);
        var coldRevert = await RunAsync(cold, target: "0", cache: true);
        var warmRevert = await RunAsync(warm, target: "0", cache: true);

        Assert.Equal((0, 4, 4), (coldRevert.Compiled!.Hits, coldRevert.Compiled.Misses, coldRevert.Compiled.Written));
        Assert.Equal((4, 0, 0), (warmRevert.Compiled!.Hits, warmRevert.Compiled.Misses, warmRevert.Compiled.Written));
        Assert.Equal(0, warmRevert.TargetModelsBuilt);
        Assert.Equal(plainRevert.Executed, coldRevert.Executed);
        Assert.Equal(plainRevert.Executed, warmRevert.Executed);
        _ = await AssertSameDatabasesAsync(plain, cold, warm);
        Assert.Equal(8, Directory.GetFiles(CacheFolder, "*.json").Length);
    }

    [Fact]
    public async Task An_edited_migration_misses_the_cache_and_only_it_is_compiled_again()
    {
        await RunAsync(await NewDatabaseAsync(), target: null, cache: true);
        var edited = new Dictionary<string, string>(Sums) { [RenameTotal] = JournalRuns.Checksum('b') };

        var run = await RunAsync(await NewDatabaseAsync(), target: null, cache: true, edited);

        Assert.Equal((3, 1, 1), (run.Compiled!.Hits, run.Compiled.Misses, run.Compiled.Written));
        Assert.Equal(5, Directory.GetFiles(CacheFolder, "*.json").Length);
        await using var context = new CompiledTestContext(Databases[0].ConnectionString, []);
        var original = new SafeMigrator(context).UseCompiledMigrations(new CompiledMigrationCache(CacheFolder), Sums.GetValueOrDefault);
        Assert.NotEqual(original.Keys.Up(RenameTotal), run.Compiled.Keys.Up(RenameTotal));
        Assert.Equal(original.Keys.Up(CreateShop), run.Compiled.Keys.Up(CreateShop));
    }

    [Fact]
    public async Task A_corrupt_or_foreign_cache_file_is_a_miss_and_EF_Core_generates_the_step_again()
    {
        var first = await NewDatabaseAsync();
        await RunAsync(first, target: null, cache: true);
        var files = Directory.GetFiles(CacheFolder, "*.json").Order(StringComparer.Ordinal).ToList();
        await File.WriteAllTextAsync(files[0], "{ \"Format\": 1, \"Key\": ");
        await File.WriteAllTextAsync(files[1], "not json at all");
        await File.WriteAllTextAsync(files[2], """{ "Format": 99, "Key": "x", "MigrationId": "x", "Direction": "up", "Commands": [] }""");
        File.Copy(files[0], files[3], overwrite: true); // a whole file under another key's name

        var second = await NewDatabaseAsync();
        var run = await RunAsync(second, target: null, cache: true);

        Assert.Equal(4, run.Result.Completed.Count);
        Assert.Equal((0, 4, 4), (run.Compiled!.Hits, run.Compiled.Misses, run.Compiled.Written));
        _ = await AssertSameDatabasesAsync(first, second);
        var cache = new CompiledMigrationCache(CacheFolder);
        Assert.All(files, file => Assert.NotNull(cache.TryRead(Path.GetFileNameWithoutExtension(file))));
    }

    [Fact]
    public async Task A_migration_without_a_checksum_is_never_cached()
    {
        var run = await RunAsync(await NewDatabaseAsync(), target: null, cache: true, new Dictionary<string, string> { [CreateShop] = JournalRuns.Checksum('a') });

        Assert.Equal((0, 4, 1), (run.Compiled!.Hits, run.Compiled.Misses, run.Compiled.Written));
        Assert.Single(Directory.GetFiles(CacheFolder, "*.json"));
    }

    private Task<TestDatabase> NewDatabaseAsync() => NewDatabaseAsync(nameof(CompiledMigrationsTests));

    private async Task<Run> RunAsync(TestDatabase database, string? target, bool cache, IReadOnlyDictionary<string, string>? sums = null)
    {
        var executed = new List<string>();
        await using var context = new CompiledTestContext(database.ConnectionString, executed);
        var migrator = new SafeMigrator(context);
        var compiled = cache ? migrator.UseCompiledMigrations(new CompiledMigrationCache(CacheFolder), (sums ?? Sums).GetValueOrDefault) : null;
        var runner = new PlanRunner(migrator, new PgAdvisoryLock((NpgsqlConnection)context.Database.GetDbConnection()), backup: null, new RecordingObserver());
        var built = TargetModelsBuilt;
        var result = await runner.RunAsync(new PlanRunOptions(target, TimeSpan.FromSeconds(30), BackupFolder: null));
        return new Run(result, compiled, executed, TargetModelsBuilt - built);
    }

    private sealed record Run(PlanRunResult Result, CompiledMigrations? Compiled, List<string> Executed, int TargetModelsBuilt);
}
