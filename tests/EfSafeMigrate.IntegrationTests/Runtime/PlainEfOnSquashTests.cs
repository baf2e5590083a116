using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// What plain EF Core (no <c>UseSafeMigrate()</c>) does with the ShopWithSquash fixture, where a
/// squashed migration and the migrations it replaces are both in the code: EF Core sees them all as
/// ordinary migrations and applies whichever are missing, by id. The originals sort before the
/// squash, so a database before or inside the range gets the rest of the originals (each committed)
/// and then the squash, which fails (column Sku already exists) and is rolled back; SeedCategories and
/// AddOrdersDropLegacy never run, and every later <c>Migrate()</c> fails the same way on the squash. A
/// database that got the squash fails on the first original (AddProductSku), changing nothing.
/// </summary>
public sealed class PlainEfOnSquashTests : IAsyncLifetime
{
    private static readonly string[] OriginalsOfTheRange = [Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex];

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(PlainEfOnSquashTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    public static TheoryData<string, string[], string[]> Positions => new()
    {
        // position, what plain EF Core lists as pending, the history after the failed Migrate()
        { "empty", [Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex, Squashed, SeedCategories, AddOrdersDropLegacy], OriginalsOfTheRange },
        { Initial, [AddProductSku, RenameCustomerName, AddUniqueSkuIndex, Squashed, SeedCategories, AddOrdersDropLegacy], OriginalsOfTheRange },
        { AddProductSku, [RenameCustomerName, AddUniqueSkuIndex, Squashed, SeedCategories, AddOrdersDropLegacy], OriginalsOfTheRange },
        { AddUniqueSkuIndex, [Squashed, SeedCategories, AddOrdersDropLegacy], OriginalsOfTheRange },
        { Squashed, [AddProductSku, RenameCustomerName, AddUniqueSkuIndex, SeedCategories, AddOrdersDropLegacy], [Initial, Squashed] },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public async Task Plain_Migrate_applies_both_the_squash_and_the_originals_and_fails(string position, string[] pending, string[] historyAfter)
    {
        await BringToPositionAsync(position);
        await using var context = PlainContext(_database.ConnectionString);
        Assert.Equal(pending, context.Database.GetPendingMigrations());

        var ex = Assert.ThrowsAny<Exception>(() => context.Database.Migrate());

        var postgres = Assert.IsType<PostgresException>(ex);
        Assert.Equal(PostgresErrorCodes.DuplicateColumn, postgres.SqlState); // column "Sku" of relation "Products" already exists
        Assert.Equal(historyAfter, await HistoryAsync(_database));
    }

    [Fact]
    public async Task Plain_EF_stays_stuck_on_the_squash()
    {
        await using var context = PlainContext(_database.ConnectionString);
        Assert.ThrowsAny<Exception>(() => context.Database.Migrate());
        var schema = await SchemaAsync(_database);

        Assert.Equal([Squashed, SeedCategories, AddOrdersDropLegacy], context.Database.GetPendingMigrations());
        Assert.IsType<PostgresException>(Assert.ThrowsAny<Exception>(() => context.Database.Migrate()));

        Assert.Equal(OriginalsOfTheRange, await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
        Assert.NotEqual(await ReferenceSchemaAsync(), schema);
    }

    private async Task BringToPositionAsync(string position)
    {
        switch (position)
        {
            case "empty":
                return;
            case Squashed:
                await using (var safe = SafeContext(_database.ConnectionString))
                {
                    safe.Database.Migrate(Squashed);
                }

                return;
            default:
                BringTo(_database, position);
                return;
        }
    }
}
