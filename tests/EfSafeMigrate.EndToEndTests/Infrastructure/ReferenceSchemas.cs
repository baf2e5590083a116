using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Shop;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The schema samples/Shop has after each prefix of its migrations, made once per test process by
/// EF Core's own migrator (not the tool) on a reference database, one migration at a time.
/// Dumps leave out the bookkeeping tables (names starting with "__"), so that they compare with
/// databases migrated by the tool, by a script, or left half-way.
/// </summary>
public static class ReferenceSchemas
{
    private static readonly Lazy<IReadOnlyList<string>> LazyShop = new(BuildShop, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<string>> RolledBack = new();

    /// <summary>Index k: the schema after the first k migrations of <see cref="FixtureProjects.Shop"/> (0 = empty).</summary>
    public static IReadOnlyList<string> Shop => LazyShop.Value;

    /// <summary>The schema after the last migration.</summary>
    public static string ShopFull => Shop[^1];

    /// <summary>The schema after migration <paramref name="id"/>.</summary>
    public static string ShopAfter(string id) => Shop[FixtureProjects.Shop.MigrationIds.ToList().IndexOf(id) + 1];

    /// <summary>
    /// The schema after applying every migration and then reverting to <paramref name="target"/> with the migrations'
    /// <c>Down</c> (by EF Core's migrator). It differs from <see cref="ShopAfter"/> in column order: a column that a
    /// <c>Down</c> adds back comes last.
    /// </summary>
    public static string ShopRolledBackTo(string target) => RolledBack.GetOrAdd(target, t => new Lazy<string>(() =>
    {
        using var database = E2eDatabase.Create();
        using var context = CreateShopContext(database.ConnectionString);
        var migrator = context.GetService<IMigrator>();
        migrator.Migrate(FixtureProjects.Shop.Last);
        migrator.Migrate(t);
        return Pg.SchemaDump(database.ConnectionString, excludeBookkeeping: true);
    }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>A ShopContext on a connection string (pending model changes are not an error here).</summary>
    public static ShopContext CreateShopContext(string connectionString) =>
        new(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connectionString)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning))
            .Options);

    private static IReadOnlyList<string> BuildShop()
    {
        var ids = FixtureProjects.Shop.MigrationIds;
        using var database = E2eDatabase.Create();
        var dumps = new List<string> { Pg.SchemaDump(database.ConnectionString, excludeBookkeeping: true) };
        using (var context = CreateShopContext(database.ConnectionString))
        {
            var codeIds = context.Database.GetMigrations().ToList();
            if (!codeIds.SequenceEqual(ids))
            {
                throw new InvalidOperationException(
                    $"The migration files ({string.Join(", ", ids)}) and Shop.dll ({string.Join(", ", codeIds)}) disagree: rebuild the test project.");
            }

            var migrator = context.GetService<IMigrator>();
            foreach (var id in ids)
            {
                migrator.Migrate(id);
                dumps.Add(Pg.SchemaDump(database.ConnectionString, excludeBookkeeping: true));
            }
        }

        return dumps;
    }
}
