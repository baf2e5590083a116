using EfSafeMigrate.Execution;
using EfSafeMigrate.Execution.Internal;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.IntegrationTests.Journal;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Testing;
using static EfSafeMigrate.IntegrationTests.Execution.Compiled.CompiledTestMigrations;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// Cached clean lint verdicts (<see cref="LintVerdicts"/>): found again only under the same key — same migration sources, same
/// direction, same lint options — and a corrupt, truncated or foreign file is a miss (the step is linted again), never an error.
/// </summary>
public sealed class LintVerdictsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Sums = All.ToDictionary(id => id, _ => JournalRuns.Checksum('a'));
    private static readonly MigrationStep ApplyShop = new(MigrationAction.Apply, CreateShop);

    private readonly TempFolder _temp = new();
    private TestDatabase _database = null!;

    private string CacheFolder => Path.Combine(_temp.Path, "obj", "safe-migrate", "compiled");

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(LintVerdictsTests));

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task A_clean_verdict_is_found_again_with_the_same_sources_direction_and_options()
    {
        var options = new LintOptions();
        var first = await VerdictsAsync(options);
        Assert.False(first.IsClean(ApplyShop));
        first.RecordClean(ApplyShop);

        var second = await VerdictsAsync(new LintOptions());

        Assert.True(second.IsClean(ApplyShop));
        Assert.False(second.IsClean(new MigrationStep(MigrationAction.Apply, SeedAndFunction)));
        Assert.False(second.IsClean(new MigrationStep(MigrationAction.Revert, CreateShop))); // Down is another lint
        Assert.Equal(1, second.Hits);
        Assert.Single(Directory.GetFiles(CacheFolder, "*.lint"));
    }

    [Fact]
    public async Task A_changed_lint_setting_misses()
    {
        (await VerdictsAsync(new LintOptions())).RecordClean(ApplyShop);

        var severity = new LintOptions { SeverityOverrides = new Dictionary<string, LintSeverity>(StringComparer.OrdinalIgnoreCase) { ["SM501"] = LintSeverity.Info } };
        Assert.False((await VerdictsAsync(severity)).IsClean(ApplyShop));
        Assert.False((await VerdictsAsync(new LintOptions { SmallTableRows = 5 })).IsClean(ApplyShop));
        Assert.False((await VerdictsAsync(new LintOptions { Rules = new LintRuleRegistry() })).IsClean(ApplyShop)); // other rules
        Assert.True((await VerdictsAsync(new LintOptions())).IsClean(ApplyShop));
    }

    [Fact]
    public async Task An_edited_migration_misses_and_the_others_still_hit()
    {
        var seed = new MigrationStep(MigrationAction.Apply, SeedAndFunction);
        var verdicts = await VerdictsAsync(new LintOptions());
        verdicts.RecordClean(ApplyShop);
        verdicts.RecordClean(seed);

        var edited = await VerdictsAsync(new LintOptions(), new Dictionary<string, string>(Sums) { [CreateShop] = JournalRuns.Checksum('b') });

        Assert.False(edited.IsClean(ApplyShop));
        Assert.True(edited.IsClean(seed));
    }

    [Fact]
    public async Task A_migration_without_a_checksum_gets_no_verdict()
    {
        var verdicts = await VerdictsAsync(new LintOptions(), new Dictionary<string, string>());
        verdicts.RecordClean(ApplyShop);

        Assert.False(verdicts.IsClean(ApplyShop));
        Assert.False(Directory.Exists(CacheFolder) && Directory.GetFiles(CacheFolder, "*.lint").Length > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("safe-migrate lint verdict 1\n")]
    [InlineData("garbage")]
    [InlineData("OTHER-KEY")]
    public async Task A_corrupt_or_foreign_verdict_file_is_a_miss_and_is_written_again(string content)
    {
        var seed = new MigrationStep(MigrationAction.Apply, SeedAndFunction);
        var verdicts = await VerdictsAsync(new LintOptions());
        verdicts.RecordClean(ApplyShop);
        verdicts.RecordClean(seed);
        var files = Directory.GetFiles(CacheFolder, "*.lint").Order(StringComparer.Ordinal).ToList();
        var shop = files.Single(f => File.ReadAllText(f).Contains(CreateShop, StringComparison.Ordinal));
        var other = files.Single(f => f != shop);
        await File.WriteAllTextAsync(shop, content == "OTHER-KEY" ? await File.ReadAllTextAsync(other) : content);

        var again = await VerdictsAsync(new LintOptions());
        Assert.False(again.IsClean(ApplyShop));
        Assert.True(again.IsClean(seed));

        again.RecordClean(ApplyShop);
        Assert.True((await VerdictsAsync(new LintOptions())).IsClean(ApplyShop));
    }

    private async Task<LintVerdicts> VerdictsAsync(LintOptions options, IReadOnlyDictionary<string, string>? sums = null)
    {
        await using var context = new CompiledTestContext(_database.ConnectionString, []);
        var compiled = new SafeMigrator(context).UseCompiledMigrations(new CompiledMigrationCache(CacheFolder), (sums ?? Sums).GetValueOrDefault);
        return new LintVerdicts(compiled, options);
    }
}
