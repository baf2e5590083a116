using EfSafeMigrate.Execution;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Schema;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Execution;

/// <summary>
/// fake-initial fakes only a migration that creates at least one table or column, all of which exist (Django's
/// detect_soft_applied): the columns an initial migration adds with AddColumn count as much as its CreateTable tables.
/// </summary>
public sealed class FakeInitialDetectorTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(FakeInitialDetectorTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Refuses_when_a_created_table_exists_but_an_added_column_does_not()
    {
        await Execute("CREATE TABLE notes (id integer PRIMARY KEY, text text NOT NULL); CREATE TABLE legacy (id integer PRIMARY KEY);");

        var result = Detect();

        Assert.Equal(FakeInitialDecision.Refuse, result.Decision);
        var missing = Assert.Single(result.Differences);
        Assert.Equal((SchemaDifferenceKind.MissingColumn, "\"public\".\"legacy\"", "extra"), (missing.Kind, missing.Table, missing.Column));
    }

    [Fact]
    public async Task Fakes_when_every_created_table_and_added_column_exists()
    {
        await Execute("CREATE TABLE notes (id integer PRIMARY KEY, text text NOT NULL); CREATE TABLE legacy (id integer PRIMARY KEY, extra text);");

        Assert.Equal(FakeInitialDecision.Fake, Detect().Decision);
    }

    [Fact]
    public async Task An_initial_migration_that_only_adds_columns_is_faked_only_when_they_exist()
    {
        await Execute("CREATE TABLE legacy (id integer PRIMARY KEY);");
        Assert.Equal(FakeInitialDecision.Apply, Detect(AddOnlyContext.Create).Decision); // nothing of it exists: apply

        await Execute("ALTER TABLE legacy ADD COLUMN extra text;");
        Assert.Equal(FakeInitialDecision.Fake, Detect(AddOnlyContext.Create).Decision);
    }

    private FakeInitialResult Detect(Func<string, DbContext>? create = null)
    {
        using var context = (create ?? (cs => new CreateAndAddContext(cs)))(_database.ConnectionString);
        using var connection = new NpgsqlConnection(_database.ConnectionString);
        connection.Open();
        var migrator = new SafeMigrator(context);
        return new FakeInitialDetector(migrator, new NpgsqlSchemaInspector(connection), [HistoryRepository.DefaultTableName]).Detect(migrator.Migrations[0]);
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Initial migration: CreateTable notes, Sql() creating legacy, AddColumn legacy.extra.</summary>
internal sealed class CreateAndAddContext(string connectionString) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder.UseNpgsql(connectionString).ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}

/// <summary>Initial migration: AddColumn legacy.extra only (legacy comes from outside the migrations).</summary>
internal sealed class AddOnlyContext(string connectionString) : DbContext
{
    public static DbContext Create(string connectionString) => new AddOnlyContext(connectionString);

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder.UseNpgsql(connectionString).ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}

[DbContext(typeof(CreateAndAddContext))]
[Migration("20250301000000_CreateAndAdd")]
internal sealed class CreateAndAddMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "notes",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false),
                text = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_notes", x => x.id));
        migrationBuilder.Sql("CREATE TABLE legacy (id integer PRIMARY KEY);");
        migrationBuilder.AddColumn<string>(name: "extra", table: "legacy", type: "text", nullable: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TABLE legacy;");
        migrationBuilder.DropTable(name: "notes");
    }
}

[DbContext(typeof(AddOnlyContext))]
[Migration("20250301000000_AddExtra")]
internal sealed class AddExtraMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.AddColumn<string>(name: "extra", table: "legacy", type: "text", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "extra", table: "legacy");
}
