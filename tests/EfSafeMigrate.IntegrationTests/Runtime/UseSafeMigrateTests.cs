using EfSafeMigrate.Squashing;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// EF Core's own <c>Database.Migrate()</c> with <c>UseSafeMigrate()</c> on the ShopWithSquash fixture,
/// on real PostgreSQL, from every position of a database against the squash: the database ends at the
/// plain sample's schema, the history holds the squashed migration's row only when it ran, and a
/// second <c>Migrate()</c> changes nothing.
/// </summary>
public sealed class UseSafeMigrateTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(UseSafeMigrateTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    public static TheoryData<string, string[], string[], string[]> Positions => new()
    {
        // position, what EF Core sees as the migrations before Migrate(), applied (with synthetic rows) before, the history after
        { "empty", WithSquash, [], WithSquash },
        { Initial, WithSquash, [Initial], WithSquash },
        { AddProductSku, Originals, [Initial, AddProductSku], Originals },
        { RenameCustomerName, Originals, [Initial, AddProductSku, RenameCustomerName], Originals },
        { AddUniqueSkuIndex, Originals, [Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex, Squashed], Originals },
        { Squashed, WithSquash, [Initial, Squashed], WithSquash },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task Migrate_from_each_position_ends_at_the_samples_schema(string position, string[] migrationsBefore, string[] appliedBefore, string[] historyAfter)
    {
        await BringToPositionAsync(position);
        await using var context = SafeContext(_database.ConnectionString);

        Assert.Equal(migrationsBefore, context.Database.GetMigrations());
        Assert.Equal(appliedBefore, context.Database.GetAppliedMigrations());
        Assert.Equal(migrationsBefore.Except(appliedBefore), context.Database.GetPendingMigrations());

        context.Database.Migrate();

        Assert.Equal(historyAfter, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
        Assert.Empty(context.Database.GetPendingMigrations());
        var appliedAfter = historyAfter.Contains(Squashed) ? historyAfter : [.. historyAfter, Squashed]; // the squash counts as applied through the originals
        Assert.Equal(appliedAfter.Order(StringComparer.Ordinal), context.Database.GetAppliedMigrations());
        Assert.Equal(migrationsBefore, context.Database.GetMigrations());
    }

    public static TheoryData<string, string[]> HistoriesAfter => new()
    {
        // position, the history after Migrate()
        { "empty", WithSquash },
        { Initial, WithSquash },
        { AddProductSku, Originals },
        { RenameCustomerName, Originals },
        { AddUniqueSkuIndex, Originals },
        { Squashed, WithSquash },
    };

    [Theory]
    [MemberData(nameof(HistoriesAfter))]
    public async Task A_second_Migrate_changes_nothing(string position, string[] historyAfter)
    {
        await BringToPositionAsync(position);
        await using (var first = SafeContext(_database.ConnectionString))
        {
            first.Database.Migrate();
            first.Database.Migrate(); // the same context (same scoped services) again
        }

        var schema = await SchemaAsync(_database);
        await using (var second = SafeContext(_database.ConnectionString))
        {
            second.Database.Migrate();
        }

        Assert.Equal(historyAfter, await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
    }

    [Fact]
    public async Task MigrateAsync_finishes_the_range_with_the_originals()
    {
        BringTo(_database, AddProductSku);
        await using var context = SafeContext(_database.ConnectionString);

        Assert.Equal([RenameCustomerName, AddUniqueSkuIndex, SeedCategories, AddOrdersDropLegacy], await context.Database.GetPendingMigrationsAsync());
        await context.Database.MigrateAsync();

        Assert.Equal(Originals, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
        Assert.Contains(Squashed, await context.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Reverting_the_originals_then_migrating_again_in_the_same_context_uses_the_squash()
    {
        BringTo(_database, AddUniqueSkuIndex);
        await using var context = SafeContext(_database.ConnectionString);
        context.Database.Migrate();

        context.Database.Migrate(Initial); // reverts 6, 5, 4, 3, 2 with their own Down
        Assert.Equal([Initial], await HistoryAsync(_database));
        Assert.Equal(WithSquash, context.Database.GetMigrations()); // none of the range applied any more: the squash applies

        context.Database.Migrate();
        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
    }

    [Fact]
    public async Task Reverting_the_squash_removes_its_row()
    {
        await using var context = SafeContext(_database.ConnectionString);
        context.Database.Migrate();

        context.Database.Migrate(Initial);

        Assert.Equal([Initial], await HistoryAsync(_database));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'Products' AND column_name = 'Sku'"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'Customers' AND column_name = 'Name'"));
    }

    [Fact]
    public async Task A_target_replaced_by_the_squash_in_use_is_refused_before_anything_runs()
    {
        BringTo(_database, Initial);
        await using var context = SafeContext(_database.ConnectionString);

        var ex = Assert.Throws<SquashedAwayMigrationException>(() => context.Database.Migrate(RenameCustomerName));

        Assert.Equal((RenameCustomerName, Squashed), (ex.MigrationId, ex.SquashedMigrationId));
        Assert.Contains($"Name '{Squashed}' instead", ex.Message);
        Assert.Equal([Initial], await HistoryAsync(_database));
    }

    [Fact]
    public async Task The_squash_as_target_is_refused_inside_the_range()
    {
        BringTo(_database, AddProductSku);
        await using var context = SafeContext(_database.ConnectionString);

        var ex = Assert.Throws<SquashedAwayMigrationException>(() => context.Database.Migrate(Squashed));

        Assert.Contains($"Name '{AddUniqueSkuIndex}' (the end of the range) instead", ex.Message);
        context.Database.Migrate(AddUniqueSkuIndex);
        Assert.Equal([Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex], await HistoryAsync(_database));
    }

    [Fact]
    public void Without_a_reachable_database_the_code_view_uses_the_squash()
    {
        // Nothing listens on port 1: the history cannot be read, as with `dotnet ef migrations add` offline.
        using var context = SafeContext("Host=127.0.0.1;Port=1;Database=none;Username=nobody;Timeout=2");

        Assert.Equal(WithSquash, context.Database.GetMigrations());
        Assert.Null(context.GetService<IMigrationsAssembly>().FindMigrationId("AddSomethingNew"));
    }

    [Fact]
    public void The_extension_wraps_the_providers_own_services()
    {
        using var context = SafeContext(_database.ConnectionString);

        var assembly = Assert.IsType<SquashAwareMigrationsAssembly>(context.GetService<IMigrationsAssembly>());
        var history = Assert.IsType<SquashAwareHistoryRepository>(context.GetService<IHistoryRepository>());
        Assert.Equal("MigrationsAssembly", assembly.Inner.GetType().Name);
        Assert.Equal("NpgsqlHistoryRepository", history.Inner.GetType().Name);
        Assert.Same(assembly, context.GetService<IMigrationsAssembly>()); // scoped: one per context
        Assert.Contains("using SafeMigrate", context.GetService<IDbContextOptions>().FindExtension<SafeMigrateOptionsExtension>()!.Info.LogFragment);
    }

    [Fact]
    public void UseSafeMigrate_before_the_provider_is_refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new DbContextOptionsBuilder<Shop.ShopContext>().UseSafeMigrate().UseNpgsql(_database.ConnectionString));

        Assert.Contains("UseNpgsql(connectionString).UseSafeMigrate()", ex.Message);
    }

    [Fact]
    public void A_replaced_history_repository_is_refused_when_the_context_is_used()
    {
#pragma warning disable EF1001 // Npgsql's internal history repository: any implementation shows the conflict (EF reports it on the whole expression)
        var options = new DbContextOptionsBuilder<Shop.ShopContext>()
            .UseNpgsql(_database.ConnectionString)
            .UseSafeMigrate()
            .ReplaceService<IHistoryRepository, global::Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal.NpgsqlHistoryRepository>()
            .Options;
#pragma warning restore EF1001

        // EF Core validates the options when the context is created.
        var ex = Assert.Throws<InvalidOperationException>(() => new Shop.ShopContext(options));

        Assert.Contains("ReplaceService<IHistoryRepository", ex.Message);
    }

    private async Task BringToPositionAsync(string position)
    {
        switch (position)
        {
            case "empty":
                return;
            case Squashed:
                await using (var context = SafeContext(_database.ConnectionString))
                {
                    context.Database.Migrate(Squashed);
                }

                Assert.Equal([Initial, Squashed], await HistoryAsync(_database));
                return;
            default:
                BringTo(_database, position);
                return;
        }
    }
}
