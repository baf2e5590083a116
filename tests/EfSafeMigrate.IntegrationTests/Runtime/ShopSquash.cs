extern alias ShopSample;

using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Shop;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// The ShopWithSquash fixture (samples/Shop plus a squashed migration replacing its migrations 2..4):
/// migration ids, its context with and without <c>UseSafeMigrate()</c>, database positions, and the
/// schema of the plain sample to compare against.
/// </summary>
internal static class ShopSquash
{
    public const string Initial = "20261121064216_Initial";
    public const string AddProductSku = "20261121064223_AddProductSku";
    public const string RenameCustomerName = "20261121064229_RenameCustomerName";
    public const string AddUniqueSkuIndex = "20261121064240_AddUniqueSkuIndex";
    public const string Squashed = "20261121064240_SquashedAddProductSkuToAddUniqueSkuIndex";
    public const string SeedCategories = "20261121064248_SeedCategories";
    public const string AddOrdersDropLegacy = "20261121064259_AddOrdersDropLegacy";

    /// <summary>The migrations of the plain sample, oldest first.</summary>
    public static readonly string[] Originals = [Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex, SeedCategories, AddOrdersDropLegacy];

    /// <summary>The migrations a database that got the squashed migration has, oldest first.</summary>
    public static readonly string[] WithSquash = [Initial, Squashed, SeedCategories, AddOrdersDropLegacy];

    private static readonly Lazy<Task<string>> s_referenceSchema = new(CreateReferenceSchemaAsync);

    /// <summary>The fixture's context with <c>UseSafeMigrate()</c>.</summary>
    public static ShopContext SafeContext(string connectionString)
        => new(new DbContextOptionsBuilder<ShopContext>().UseNpgsql(connectionString).UseSafeMigrate().Options);

    /// <summary>The fixture's context as plain EF Core (what the application gets without <c>UseSafeMigrate()</c>).</summary>
    public static ShopContext PlainContext(string connectionString)
        => new(new DbContextOptionsBuilder<ShopContext>().UseNpgsql(connectionString).Options);

    /// <summary>
    /// Brings a new database to a position made of the sample's own migrations: <c>0</c> (an empty
    /// history table), or every original migration up to and including <paramref name="target"/>.
    /// Done by plain EF Core with a target, which never reaches the squashed migration (it sorts after them).
    /// </summary>
    public static void BringTo(TestDatabase database, string target)
    {
        using var context = PlainContext(database.ConnectionString);
        context.Database.Migrate(target);
    }

    /// <summary>The history table's ids, by id.</summary>
    public static async Task<IReadOnlyList<string>> HistoryAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new global::Npgsql.NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary><c>pg_dump --schema-only</c> of a database, normalised (see <see cref="SchemaDump"/>).</summary>
    public static Task<string> SchemaAsync(TestDatabase database) => SchemaDump.OfAsync(database.ConnectionString);

    /// <summary>The normalised schema of a database migrated by the plain sample (samples/Shop), created once per test run.</summary>
    public static Task<string> ReferenceSchemaAsync() => s_referenceSchema.Value;

    private static async Task<string> CreateReferenceSchemaAsync()
    {
        await using var database = await TestDatabase.CreateAsync("squash_reference");
        await using (var context = new ShopSample::Shop.ShopContext(
            new DbContextOptionsBuilder<ShopSample::Shop.ShopContext>().UseNpgsql(database.ConnectionString).Options))
        {
            await context.Database.MigrateAsync();
        }

        return await SchemaAsync(database);
    }
}
