using System.Reflection;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// Code after <c>squash --finalize</c> (only the squashed migration is left) meeting databases migrated
/// by older code: EF Core's own migrator (the provider's type, from the context's services) runs with
/// the squash-aware decorators built by their public constructors around the fixture's real migrations
/// assembly, of which a view leaves the replaced migrations out. Real PostgreSQL.
/// </summary>
public sealed class FinalizedSquashTests : IAsyncLifetime
{
    private static readonly string[] Replaced = [AddProductSku, RenameCustomerName, AddUniqueSkuIndex];

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(FinalizedSquashTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task An_old_database_after_the_range_counts_the_squash_as_applied_and_gets_only_the_rest()
    {
        BringTo(_database, AddUniqueSkuIndex);
        await using var context = PlainContext(_database.ConnectionString);
        var (assembly, history, migrator) = Finalized(context);

        Assert.Equal(WithSquash, assembly.Migrations.Keys);
        Assert.Equal([Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex, Squashed], history.GetAppliedMigrations().Select(r => r.MigrationId));

        migrator.Migrate(null);

        Assert.Equal(Originals, await HistoryAsync(_database)); // no row written for the squash
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
    }

    [Fact]
    public async Task Reverting_a_squash_that_counted_as_applied_deletes_the_replaced_rows()
    {
        BringTo(_database, AddUniqueSkuIndex);
        await using var context = PlainContext(_database.ConnectionString);
        var (_, _, migrator) = Finalized(context);
        migrator.Migrate(null);

        migrator.Migrate(Initial);

        Assert.Equal([Initial], await HistoryAsync(_database));
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'Products' AND column_name = 'Sku'"));
    }

    [Fact]
    public async Task A_database_inside_the_range_is_refused_and_left_as_it_was()
    {
        BringTo(_database, RenameCustomerName);
        var schema = await SchemaAsync(_database);
        await using var context = PlainContext(_database.ConnectionString);
        var (_, _, migrator) = Finalized(context);

        var ex = Assert.Throws<PartiallyAppliedSquashException>(() => migrator.Migrate(null));

        Assert.Equal(Squashed, ex.SquashedMigrationId);
        Assert.Equal([AddProductSku, RenameCustomerName], ex.AppliedIds);
        Assert.Equal([AddUniqueSkuIndex], ex.NotAppliedIds);
        Assert.Equal([Initial, AddProductSku, RenameCustomerName], await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
    }

    [Fact]
    public async Task A_new_database_gets_the_squash()
    {
        await using var context = PlainContext(_database.ConnectionString);
        var (_, _, migrator) = Finalized(context);

        migrator.Migrate(null);

        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(await ReferenceSchemaAsync(), await SchemaAsync(_database));
    }

    private static (SquashAwareMigrationsAssembly Assembly, SquashAwareHistoryRepository History, IMigrator Migrator) Finalized(DbContext context)
    {
        var code = new WithoutMigrations(context.GetService<IMigrationsAssembly>(), Replaced);
        var innerHistory = context.GetService<IHistoryRepository>();
        var connection = context.GetService<IRelationalConnection>();
        var assembly = new SquashAwareMigrationsAssembly(code, innerHistory, connection);
        var history = new SquashAwareHistoryRepository(innerHistory, code, connection);
        var migrator = (IMigrator)ActivatorUtilities.CreateInstance(context.GetInfrastructure(), context.GetService<IMigrator>().GetType(), assembly, history);
        return (assembly, history, migrator);
    }

    /// <summary>The fixture's migrations assembly without some migrations: the code as it is after <c>squash --finalize</c>.</summary>
    private sealed class WithoutMigrations(IMigrationsAssembly inner, IReadOnlyCollection<string> removed) : IMigrationsAssembly
    {
        public IReadOnlyDictionary<string, TypeInfo> Migrations { get; } =
            inner.Migrations.Where(m => !removed.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value);

        public ModelSnapshot? ModelSnapshot => inner.ModelSnapshot;

        public Assembly Assembly => inner.Assembly;

        public string? FindMigrationId(string nameOrId) => Migrations.Keys.FirstOrDefault(id => id == nameOrId || id.EndsWith("_" + nameOrId, StringComparison.OrdinalIgnoreCase));

        public Migration CreateMigration(TypeInfo migrationClass, string activeProvider) => inner.CreateMigration(migrationClass, activeProvider);
    }
}
