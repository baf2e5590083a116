using EfSafeMigrate.Execution;
using EfSafeMigrate.IntegrationTests.Journal;
using EfSafeMigrate.Npgsql.Locking;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// The tool's path (<see cref="SafeMigrator"/> and <see cref="PlanRunner"/>, one migration per step)
/// on the ShopWithSquash fixture with a context that does NOT call <c>UseSafeMigrate()</c>: the
/// squash rules still decide what is planned, listed and run, on real PostgreSQL.
/// </summary>
public sealed class SafeMigratorSquashTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(SafeMigratorSquashTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task From_an_empty_database_the_plan_applies_the_squash()
    {
        await using var context = PlainContext(_database.ConnectionString);
        var migrator = new SafeMigrator(context);

        Assert.Equal(WithSquash, migrator.Migrations);
        Assert.Equal(WithSquash.Select(Apply), migrator.Plan(null).Steps);

        var result = await RunAsync(context, null);

        Assert.Equal(WithSquash, result.Completed.Select(c => c.Step.MigrationId));
        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
        Assert.Equal(WithSquash, migrator.GetAppliedMigrations());
        Assert.True(migrator.Plan(null).IsEmpty);
    }

    [Theory]
    [InlineData(AddProductSku)]
    [InlineData(RenameCustomerName)]
    public async Task From_inside_the_range_the_plan_finishes_it_with_the_originals(string position)
    {
        BringTo(_database, position);
        await using var context = PlainContext(_database.ConnectionString);
        var migrator = new SafeMigrator(context);
        var pending = Originals.SkipWhile(id => id != position).Skip(1).ToList();

        Assert.Equal(Originals, migrator.Migrations);
        Assert.Equal(pending.Select(Apply), migrator.Plan(null).Steps);

        await RunAsync(context, null);

        Assert.Equal(Originals, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
        Assert.Equal(Originals, migrator.GetAppliedMigrations()); // the squash counts as applied, but does not apply to this database: not listed
        Assert.Equal(Originals, migrator.Migrations);
        Assert.True(migrator.Plan(null).IsEmpty);
    }

    [Fact]
    public async Task After_the_range_only_the_rest_runs()
    {
        BringTo(_database, AddUniqueSkuIndex);
        await using var context = PlainContext(_database.ConnectionString);

        Assert.Equal([Apply(SeedCategories), Apply(AddOrdersDropLegacy)], new SafeMigrator(context).Plan(null).Steps);
        await RunAsync(context, null);

        Assert.Equal(Originals, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
    }

    [Fact]
    public async Task Rolling_back_and_forward_through_the_squash()
    {
        await using var context = PlainContext(_database.ConnectionString);
        await RunAsync(context, null);
        var migrator = new SafeMigrator(context);

        Assert.Equal([Revert(AddOrdersDropLegacy), Revert(SeedCategories), Revert(Squashed)], migrator.Plan(Initial).Steps);
        await RunAsync(context, Initial);
        Assert.Equal([Initial], await HistoryAsync(_database));

        await RunAsync(context, null);
        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
    }

    [Fact]
    public async Task A_target_inside_the_range_is_refused_when_the_squash_applies()
    {
        BringTo(_database, Initial);
        await using var context = PlainContext(_database.ConnectionString);
        var migrator = new SafeMigrator(context);

        var ex = Assert.Throws<SquashedAwayMigrationException>(() => migrator.Plan(AddProductSku));

        Assert.Equal(Squashed, ex.SquashedMigrationId);
        Assert.Equal([Apply(Squashed)], migrator.Plan(Squashed).Steps);
    }

    [Fact]
    public async Task Scripts_of_single_steps_and_fake_steps_follow_the_rules()
    {
        BringTo(_database, AddUniqueSkuIndex);
        await using var context = PlainContext(_database.ConnectionString);
        var migrator = new SafeMigrator(context);

        // Fake-reverting the squash (as after 'squash --finalize' on an old database) deletes the replaced rows too.
        var fakeRevert = migrator.GenerateStepScript(new MigrationStep(MigrationAction.FakeRevert, Squashed));
        Assert.Contains(Squashed, fakeRevert);
        Assert.Contains(AddProductSku, fakeRevert);
        Assert.Contains(AddUniqueSkuIndex, fakeRevert);
        Assert.Contains("ADD \"Sku\"", migrator.GenerateStepScript(Apply(Squashed)));
    }

    private static MigrationStep Apply(string id) => new(MigrationAction.Apply, id);

    private static MigrationStep Revert(string id) => new(MigrationAction.Revert, id);

    private static Task<PlanRunResult> RunAsync(DbContext context, string? target)
        => new PlanRunner(
                new SafeMigrator(context),
                new PgAdvisoryLock((NpgsqlConnection)context.Database.GetDbConnection()),
                backup: null,
                new RecordingObserver())
            .RunAsync(new PlanRunOptions(target, TimeSpan.FromSeconds(30), BackupFolder: null));
}
