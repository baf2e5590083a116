using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// Idempotent scripts that EF Core's own migrator generates for a context with <c>UseSafeMigrate()</c>
/// (what <c>dotnet ef migrations script --idempotent</c> does), run with psql on real PostgreSQL. They
/// have the squash-aware guards of <c>SquashAwareHistoryRepository</c> (found for Npgsql without any
/// configuration) but not the range check at the start that <c>dotnet safe-migrate script</c> adds: on
/// a database inside the range they stop at the squashed migration's first block. The scripts end at
/// the range (EF Core's own scripts of the fixture break at SeedCategories, whose custom SQL lacks its
/// semicolon; <c>dotnet safe-migrate script</c> terminates it).
/// </summary>
public sealed class EfCoreIdempotentSquashScriptTests : IAsyncLifetime
{
    private const string Offline = "Host=127.0.0.1;Port=1;Database=offline;Username=nobody;Timeout=1";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(EfCoreIdempotentSquashScriptTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task Before_the_range_the_script_applies_the_squash()
    {
        var script = OfflineScript();

        await PsqlScript.RunSucceedingAsync(_database, script);
        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal([Initial, Squashed], await HistoryAsync(_database));
        Assert.Equal(await SchemaAtAsync(AddUniqueSkuIndex), await SchemaAsync(_database));
    }

    [Fact]
    public async Task After_the_range_the_script_skips_the_squash()
    {
        BringTo(_database, AddUniqueSkuIndex);
        var schemaBefore = await SchemaAsync(_database);

        await PsqlScript.RunSucceedingAsync(_database, OfflineScript());

        Assert.Equal([Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex], await HistoryAsync(_database));
        Assert.Equal(schemaBefore, await SchemaAsync(_database));
    }

    [Fact]
    public async Task Inside_the_range_the_script_stops_at_the_squash_and_changes_nothing()
    {
        BringTo(_database, RenameCustomerName);
        var historyBefore = await HistoryAsync(_database);
        var schemaBefore = await SchemaAsync(_database);

        var result = await PsqlScript.RunAsync(_database, OfflineScript());

        Assert.False(result.Succeeded);
        Assert.Contains($"the squashed migration '{Squashed}' replaces", result.StandardError);
        Assert.Contains($"The script stopped before running anything of '{Squashed}'", result.StandardError);
        Assert.Equal(historyBefore, await HistoryAsync(_database));
        Assert.Equal(schemaBefore, await SchemaAsync(_database));
    }

    [Fact]
    public async Task A_script_generated_next_to_a_database_inside_the_range_skips_the_originals_where_the_squash_ran()
    {
        // Generated while connected to a database inside the range, the script holds the original migrations, not the squash...
        string script;
        await using (var inside = await TestDatabase.CreateAsync("squash_inside"))
        {
            BringTo(inside, AddProductSku);
            await using var context = SafeContext(inside.ConnectionString);
            script = context.GetService<IMigrator>().GenerateScript(toMigration: AddUniqueSkuIndex, options: MigrationsSqlGenerationOptions.Idempotent);
            Assert.Contains($"VALUES ('{RenameCustomerName}', '", script);
            Assert.DoesNotContain($"VALUES ('{Squashed}', '", script);

            await PsqlScript.RunSucceedingAsync(inside, script);
            Assert.Equal([Initial, AddProductSku, RenameCustomerName, AddUniqueSkuIndex], await HistoryAsync(inside));
        }

        // ...and on a database that got the squash, the originals' guards see its row and skip them.
        await using (var context = SafeContext(_database.ConnectionString))
        {
            await context.Database.MigrateAsync(Squashed);
        }

        var schemaBefore = await SchemaAsync(_database);

        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal([Initial, Squashed], await HistoryAsync(_database));
        Assert.Equal(schemaBefore, await SchemaAsync(_database));
    }

    /// <summary>EF Core's idempotent script up to the squash, generated without a database.</summary>
    private static string OfflineScript()
    {
        using var context = SafeContext(Offline);
        return context.GetService<IMigrator>().GenerateScript(toMigration: Squashed, options: MigrationsSqlGenerationOptions.Idempotent);
    }

    private static async Task<string> SchemaAtAsync(string position)
    {
        await using var reference = await TestDatabase.CreateAsync("squash_position");
        BringTo(reference, position);
        return await SchemaAsync(reference);
    }
}
