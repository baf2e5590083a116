extern alias ShopSample;

using EfSafeMigrate.Execution;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Shop;
using static EfSafeMigrate.IntegrationTests.Runtime.ShopSquash;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// <c>dotnet safe-migrate script --idempotent</c> (<see cref="SafeMigrator.GenerateScript"/>) on the
/// ShopWithSquash fixture, run with <c>psql -v ON_ERROR_STOP=1 -f</c> on real PostgreSQL: the script
/// holds the squashed migration (never the migrations it replaces), runs it on a database before its
/// range, skips it on a database after it, and stops before its first statement on a database
/// part-way through it, changing nothing.
/// </summary>
public sealed class IdempotentSquashScriptTests : IAsyncLifetime
{
    /// <summary>A connection string whose server does not answer: the script is generated without a database.</summary>
    private const string Offline = "Host=127.0.0.1;Port=1;Database=offline;Username=nobody;Timeout=1";

    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(IdempotentSquashScriptTests));

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public void The_script_holds_the_squash_not_the_migrations_it_replaces_and_starts_with_the_range_check()
    {
        var script = Script();

        Assert.Contains(Squashed, script);
        Assert.DoesNotContain($"VALUES ('{AddProductSku}', '", script); // no history row of a replaced migration is inserted
        Assert.Contains($"VALUES ('{Squashed}', '", script);
        Assert.StartsWith("DO $EF$", script);
        Assert.True(
            script.IndexOf("RAISE EXCEPTION", StringComparison.Ordinal) < script.IndexOf("CREATE TABLE IF NOT EXISTS", StringComparison.Ordinal),
            "the range check must come before the first statement of the script");
    }

    [Fact]
    public async Task On_an_empty_database_it_applies_the_squash_and_a_second_run_changes_nothing()
    {
        var script = Script();

        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal(WithSquash, await HistoryAsync(_database));
        var schema = await SchemaAsync(_database);
        Assert.Equal(await ReferenceSchemaAsync(), schema);
        Assert.Equal(3, await CategoriesAsync());

        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
        Assert.Equal(3, await CategoriesAsync());
    }

    [Fact]
    public async Task After_the_range_the_squash_counts_as_applied_and_only_the_later_migrations_run()
    {
        BringTo(_database, AddUniqueSkuIndex);
        var script = Script();

        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal(Originals, await HistoryAsync(_database)); // no row for the squash: it did not run
        var schema = await SchemaAsync(_database);
        Assert.Equal(await ReferenceSchemaAsync(), schema);
        Assert.Equal(3, await CategoriesAsync());

        await PsqlScript.RunSucceedingAsync(_database, script);

        Assert.Equal(Originals, await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
        Assert.Equal(3, await CategoriesAsync());
    }

    [Fact]
    public async Task On_a_database_that_got_the_squash_it_changes_nothing()
    {
        await PsqlScript.RunSucceedingAsync(_database, Script());
        var schema = await SchemaAsync(_database);

        await PsqlScript.RunSucceedingAsync(_database, Script());

        Assert.Equal(WithSquash, await HistoryAsync(_database));
        Assert.Equal(schema, await SchemaAsync(_database));
    }

    public static TheoryData<string, bool> InsideTheRange => new()
    {
        { AddProductSku, false },
        { AddProductSku, true },
        { RenameCustomerName, false },
        { RenameCustomerName, true },
    };

    [Theory]
    [MemberData(nameof(InsideTheRange))]
    public async Task Inside_the_range_it_stops_before_anything_runs_and_names_the_squash_and_the_fix(string position, bool noTransactions)
    {
        BringTo(_database, position);
        var historyBefore = await HistoryAsync(_database);
        var schemaBefore = await SchemaAsync(_database);
        var options = MigrationsSqlGenerationOptions.Idempotent | (noTransactions ? MigrationsSqlGenerationOptions.NoTransactions : 0);

        var result = await PsqlScript.RunAsync(_database, Script(options));

        Assert.False(result.Succeeded, "psql must fail on a database inside the range");
        var error = result.StandardError;
        Assert.Contains($"ERROR:  The database is part-way through the migrations that the squashed migration '{Squashed}' replaces", error);
        Assert.Contains("The script stopped before its first statement: nothing was changed.", error);
        Assert.Contains("dotnet safe-migrate apply", error);
        Assert.Contains($"dotnet safe-migrate script <last applied> {AddUniqueSkuIndex}", error);
        var applied = historyBefore.Where(id => id != Initial);
        var notApplied = new[] { AddProductSku, RenameCustomerName, AddUniqueSkuIndex }.Except(applied);
        Assert.Contains($"DETAIL:  Of the migrations it replaces, applied: {string.Join(", ", applied)}; not applied: {string.Join(", ", notApplied)}.", error);
        Assert.Equal(historyBefore, await HistoryAsync(_database));
        Assert.Equal(schemaBefore, await SchemaAsync(_database));
    }

    [Fact]
    public async Task The_script_does_not_depend_on_the_database_it_was_generated_next_to()
    {
        BringTo(_database, AddUniqueSkuIndex); // the squash rules hide the squash for this database...

        await using var context = PlainContext(_database.ConnectionString);
        var connected = new SafeMigrator(context).GenerateScript(null, null, MigrationsSqlGenerationOptions.Idempotent);

        Assert.Equal(Script(), connected); // ...but an idempotent script is for any database
    }

    [Fact]
    public async Task A_replaced_migration_cannot_be_named_in_an_idempotent_script()
    {
        await using var context = PlainContext(Offline);

        var ex = Assert.Throws<EfSafeMigrate.Squashing.SquashedAwayMigrationException>(
            () => new SafeMigrator(context).GenerateScript(AddProductSku, null, MigrationsSqlGenerationOptions.Idempotent));

        Assert.Equal(Squashed, ex.SquashedMigrationId);
    }

    public static TheoryData<string> RevertedPositions => new() { "originals", "squash" };

    [Theory]
    [MemberData(nameof(RevertedPositions))]
    public async Task Reverting_to_Initial_reverts_the_squash_whether_it_ran_or_counts_as_applied(string position)
    {
        await using (var reference = await TestDatabase.CreateAsync("squash_initial"))
        {
            // The plain sample migrated up and back down to Initial (reverting puts dropped columns back at the end of their table).
            await using (var sample = SampleContext(reference.ConnectionString))
            {
                await sample.Database.MigrateAsync();
                await sample.Database.MigrateAsync(Initial);
            }

            var initialSchema = await SchemaAsync(reference);
            var script = Script(MigrationsSqlGenerationOptions.Idempotent, AddOrdersDropLegacy, Initial);
            if (position == "originals")
            {
                BringTo(_database, AddUniqueSkuIndex);
            }

            await PsqlScript.RunSucceedingAsync(_database, Script());
            Assert.Equal(position == "originals" ? Originals : WithSquash, await HistoryAsync(_database));

            await PsqlScript.RunSucceedingAsync(_database, script);

            Assert.Equal([Initial], await HistoryAsync(_database)); // the squash's row, or the replaced rows, are gone
            Assert.Equal(initialSchema, await SchemaAsync(_database));

            await PsqlScript.RunSucceedingAsync(_database, script);
            Assert.Equal([Initial], await HistoryAsync(_database));
        }
    }

    [Fact]
    public async Task Reverting_from_inside_the_range_stops_before_anything_runs()
    {
        BringTo(_database, AddProductSku);
        var schemaBefore = await SchemaAsync(_database);

        var result = await PsqlScript.RunAsync(_database, Script(MigrationsSqlGenerationOptions.Idempotent, AddOrdersDropLegacy, Initial));

        Assert.False(result.Succeeded);
        Assert.Contains(Squashed, result.StandardError);
        Assert.Equal([Initial, AddProductSku], await HistoryAsync(_database));
        Assert.Equal(schemaBefore, await SchemaAsync(_database));
    }

    [Fact]
    public async Task A_configured_history_table_and_schema_are_used_by_the_guards()
    {
        static ShopContext Context(string connectionString) => new(new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("applied_migrations", "deploy")).Options);

        await using (var context = Context(_database.ConnectionString))
        {
            context.Database.Migrate(AddUniqueSkuIndex);
        }

        string script;
        await using (var offline = Context(Offline))
        {
            script = new SafeMigrator(offline).GenerateScript(null, null, MigrationsSqlGenerationOptions.Idempotent);
        }

        Assert.Contains("to_regclass('deploy.applied_migrations')", script); // Npgsql quotes only identifiers that need it
        Assert.Contains("FROM deploy.applied_migrations WHERE \"MigrationId\" IN", script);
        await PsqlScript.RunSucceedingAsync(_database, script);

        var history = await IdsAsync("""SELECT "MigrationId" FROM deploy.applied_migrations ORDER BY 1""");
        Assert.Equal(Originals, history);
        Assert.Equal(3, await CategoriesAsync());

        // And on a database part-way through the range, the check reads the same table.
        await using var inside = await TestDatabase.CreateAsync("squash_custom_history");
        await using (var context = Context(inside.ConnectionString))
        {
            context.Database.Migrate(RenameCustomerName);
        }

        var result = await PsqlScript.RunAsync(inside, script);
        Assert.False(result.Succeeded);
        Assert.Contains($"applied: {AddProductSku}, {RenameCustomerName}; not applied: {AddUniqueSkuIndex}.", result.StandardError);
    }

    private static string Script(
        MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Idempotent, string? from = null, string? to = null)
    {
        using var context = PlainContext(Offline);
        return new SafeMigrator(context).GenerateScript(from, to, options);
    }

    private static ShopSample::Shop.ShopContext SampleContext(string connectionString)
        => new(new DbContextOptionsBuilder<ShopSample::Shop.ShopContext>().UseNpgsql(connectionString).Options);

    private Task<long> CategoriesAsync() => _database.ScalarAsync<long>("""SELECT count(*) FROM "Categories" """);

    private async Task<IReadOnlyList<string>> IdsAsync(string sql)
    {
        await using var connection = await _database.OpenConnectionAsync();
        await using var command = new global::Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
