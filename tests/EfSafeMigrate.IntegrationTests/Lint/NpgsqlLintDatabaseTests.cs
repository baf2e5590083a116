using EfSafeMigrate.Lint;
using EfSafeMigrate.Npgsql.Lint;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Lint;

/// <summary>Table sizes, bounded counts and size-based severities on real PostgreSQL.</summary>
public sealed class NpgsqlLintDatabaseTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private NpgsqlConnection _connection = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(NpgsqlLintDatabaseTests));
        _connection = new NpgsqlConnection(_database.ConnectionString);
        await _connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            CREATE TABLE "Items" ("Id" serial PRIMARY KEY, "Name" character varying(200), "Code" text);
            INSERT INTO "Items" ("Name", "Code") SELECT 'item ' || g, CASE WHEN g <= 2 THEN NULL ELSE 'c' || g END FROM generate_series(1, 50) AS g;
            UPDATE "Items" SET "Name" = repeat('x', 150) WHERE "Id" BETWEEN 10 AND 12;
            CREATE SCHEMA stock;
            CREATE TABLE stock."Items" ("Id" int);
            """, _connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _database.DisposeAsync();
    }

    private NpgsqlLintDatabase Database() => new(_connection, "test database");

    [Fact]
    public void Size_of_a_never_analyzed_table_is_counted_up_to_the_bound()
    {
        var size = Database().GetTableSize(new TableRef(null, "Items"), countUpTo: 10_000);

        Assert.True(size.Exists);
        Assert.Equal(50, size.Rows);
        Assert.True(size.Bytes >= 8192, size.ToString());
        Assert.Equal(11, Database().GetTableSize(new TableRef(null, "Items"), countUpTo: 10).Rows); // reads at most bound + 1 rows
    }

    [Fact]
    public async Task A_table_locked_by_another_session_is_not_waited_for_and_its_findings_keep_their_severity()
    {
        await using var holder = new NpgsqlConnection(_database.ConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE \"Items\" IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var size = Database().GetTableSize(new TableRef(null, "Items"), countUpTo: 10_000);
        var violations = Database().CountViolations(new TableRef(null, "Items"), "Code", NarrowingCheck.Nulls, null, 1_000);
        var up = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        up.CreateIndex("IX_Items_Name", "Items", "Name");
        var index = new LintEngine(new LintOptions(), Database()).Lint(new LintMigration("20260101000000_Test", false, up.Operations, [])).Single(f => f.Code == "SM501");
        clock.Stop();

        Assert.True(size.Exists);
        Assert.Contains("locked by another session", size.Unmeasured);
        Assert.Null(violations);
        Assert.Equal(LintSeverity.Error, index.Severity); // never analyzed and unreadable: no size to lower it
        Assert.Null(index.Rows);
        Assert.Contains("locked by another session", index.Reason);
        // Three probes of at most the probe lock timeout each, not Npgsql's 30 s command timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(NpgsqlLintDatabase.ProbeLockTimeoutMilliseconds * 3 + 5_000), clock.Elapsed.ToString());
        await transaction.RollbackAsync();
    }

    [Fact]
    public void Missing_tables_and_schemas_are_told_apart()
    {
        Assert.Equal(TableSize.Missing, Database().GetTableSize(new TableRef(null, "Nope"), 10_000));
        Assert.Equal(0, Database().GetTableSize(new TableRef("stock", "Items"), 10_000).Rows);
        Assert.Equal(TableSize.Missing, Database().GetTableSize(new TableRef("nope", "Items"), 10_000));
    }

    [Fact]
    public void Narrowing_violations_are_counted_with_a_bound()
    {
        var items = new TableRef(null, "Items");
        Assert.Equal(2, Database().CountViolations(items, "Code", NarrowingCheck.Nulls, null, 1_000));
        Assert.Equal(3, Database().CountViolations(items, "Name", NarrowingCheck.LongerThan, 100, 1_000));
        Assert.Equal(2, Database().CountViolations(items, "Name", NarrowingCheck.LongerThan, 100, 2));
        Assert.Null(Database().CountViolations(items, "NoSuchColumn", NarrowingCheck.Nulls, null, 1_000));
    }

    [Fact]
    public void Sizes_decide_severity_and_failing_rows_make_errors()
    {
        var up = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        up.CreateIndex("IX_Items_Name", "Items", "Name");
        up.AlterColumn<string>("Code", "Items", type: "text", nullable: false, defaultValue: "", oldClrType: typeof(string), oldType: "text", oldNullable: true);
        var migration = new LintMigration("20260101000000_Test", false, up.Operations, []);

        var small = new LintEngine(new LintOptions(), Database()).Lint(migration).Where(f => f.Code is "SM501" or "SM505").ToList();
        var index = small.Single(f => f.Code == "SM501");
        Assert.Equal(LintSeverity.Info, index.Severity);
        Assert.Equal(50, index.Rows);
        Assert.Contains("small", index.Reason);
        var notNull = small.Single(f => f.Code == "SM505");
        Assert.Equal(LintSeverity.Error, notNull.Severity); // two NULLs would fail, however small the table
        Assert.Equal(2, notNull.FailingRows);

        var strict = new LintEngine(new LintOptions { SmallTableRows = 10 }, Database()).Lint(migration).Single(f => f.Code == "SM501");
        Assert.Equal(LintSeverity.Error, strict.Severity);
    }
}
