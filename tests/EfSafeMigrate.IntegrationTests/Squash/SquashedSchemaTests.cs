extern alias ShopSample;

using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using static EfSafeMigrate.IntegrationTests.Squash.SampleSquash;
using SampleContext = ShopSample::Shop.ShopContext;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary>
/// The squashed operations on real PostgreSQL: from the database before the range they reach the
/// schema the original migrations reach (columns may come in another order: the differ creates a
/// table with its final columns), with the same seed rows; and Down takes it back.
/// </summary>
public sealed class SquashedSchemaTests : IAsyncLifetime
{
    private TestDatabase _original = null!;
    private TestDatabase _squashed = null!;

    public async Task InitializeAsync()
    {
        _original = await TestDatabase.CreateAsync("squash_original");
        _squashed = await TestDatabase.CreateAsync("squash_squashed");
    }

    public async Task DisposeAsync()
    {
        await _original.DisposeAsync();
        await _squashed.DisposeAsync();
    }

    [Fact]
    public async Task The_whole_history_squashed_builds_the_same_schema_and_rows_and_its_Down_removes_them()
    {
        Migrate(_original, target: null);
        using var sample = new SampleSquash(_squashed.ConnectionString);
        var plan = sample.Plan(Initial, AddOrdersDropLegacy);

        Run(sample, plan.Up, plan);
        CreateHistoryTable(sample);

        Assert.Equal(await NormalizedSchemaAsync(_original), await NormalizedSchemaAsync(_squashed));
        Assert.Equal(await CategoriesAsync(_original), await CategoriesAsync(_squashed));

        Run(sample, plan.Down, plan);
        Assert.Equal(0L, await _squashed.ScalarAsync<long>("""SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'"""));
    }

    [Fact]
    public async Task A_middle_range_squashed_then_the_later_originals_reach_the_same_schema()
    {
        Migrate(_original, target: null);
        Migrate(_squashed, target: Initial);
        using (var sample = new SampleSquash(_squashed.ConnectionString))
        {
            var plan = sample.Plan(AddProductSku, AddUniqueSkuIndex);
            Run(sample, plan.Up, plan);
            foreach (var id in plan.Range.MigrationIds)
            {
                await _squashed.ExecuteAsync("""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ($1, '10.0.14')""", id);
            }
        }

        Migrate(_squashed, target: null);

        Assert.Equal(await NormalizedSchemaAsync(_original), await NormalizedSchemaAsync(_squashed));
        Assert.Equal(await CategoriesAsync(_original), await CategoriesAsync(_squashed));
    }

    private static void Migrate(TestDatabase database, string? target)
    {
        using var context = new SampleContext(new DbContextOptionsBuilder<SampleContext>().UseNpgsql(database.ConnectionString).Options);
        context.Database.Migrate(target);
    }

    // EF Core's SQL generator and command executor, as its migrator runs a migration's operations.
    private static void Run(SampleSquash sample, IReadOnlyList<MigrationOperation> operations, SquashPlan plan)
    {
        var commands = sample.Context.GetService<IMigrationsSqlGenerator>().Generate(operations, plan.TargetModel);
        sample.Context.GetService<IMigrationCommandExecutor>().ExecuteNonQuery(commands, sample.Context.GetService<IRelationalConnection>());
    }

    private static void CreateHistoryTable(SampleSquash sample)
        => sample.Context.Database.ExecuteSqlRaw(sample.Context.GetService<IHistoryRepository>().GetCreateScript());

    // pg_dump's lines, sorted and without the commas that end all but the last column of a table.
    private static async Task<IReadOnlyList<string>> NormalizedSchemaAsync(TestDatabase database)
        => (await SchemaDump.OfAsync(database.ConnectionString)).Split('\n').Select(l => l.TrimEnd(',')).Order(StringComparer.Ordinal).ToList();

    private static async Task<string> CategoriesAsync(TestDatabase database)
        => await database.ScalarAsync<string>("""SELECT string_agg("Id" || ':' || "Name", ',' ORDER BY "Id") FROM "Categories" """);
}
