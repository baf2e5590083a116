extern alias ShopSample;

using EfSafeMigrate.Execution.Internal;
using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SampleContext = ShopSample::Shop.ShopContext;

namespace EfSafeMigrate.IntegrationTests.Execution;

/// <summary>
/// A revert step's SQL is EF Core's own: <c>Down</c> generated with the previous migration's target model, exactly as
/// <c>dotnet ef migrations script &lt;migration&gt; &lt;previous&gt;</c> writes it (that command calls the same
/// <see cref="IMigrator.GenerateScript"/> on the application's migrator) — for every migration of the sample (issue 9, item 6).
/// </summary>
public sealed class RevertScriptTests
{
    [Fact]
    public void Every_revert_step_of_the_sample_is_EF_Cores_script_to_the_previous_migration()
    {
        // Script generation reads no database (it never connects).
        using var context = new SampleContext(new DbContextOptionsBuilder<SampleContext>().UseNpgsql("Host=127.0.0.1;Port=1;Database=not_used").Options);
        var efMigrator = context.GetService<IMigrator>();
        var ids = context.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        var migrator = new SafeMigrator(context);

        for (var i = 0; i < ids.Count; i++)
        {
            var previous = i == 0 ? Migration.InitialDatabase : ids[i - 1];
            var expected = efMigrator.GenerateScript(ids[i], previous);

            var actual = migrator.GenerateStepScript(new MigrationStep(MigrationAction.Revert, ids[i]));

            Assert.True(expected == actual, $"revert of {ids[i]} differs from EF Core's script {ids[i]} {previous}:{Environment.NewLine}--- EF Core ---{Environment.NewLine}{expected}{Environment.NewLine}--- safe-migrate ---{Environment.NewLine}{actual}");
        }
    }
}

/// <summary>
/// A revert whose <c>Down</c> SQL depends on the model: DeleteData keyed on a <c>timestamp without time zone</c> column.
/// With the previous migration's target model EF Core writes a <c>TIMESTAMP '…'</c> literal; without a model it would type
/// the key from its CLR type (<c>timestamp with time zone</c>).
/// </summary>
public sealed class ModelDependentDownTests
{
    [Fact]
    public void Revert_of_a_data_migration_uses_the_previous_migrations_target_model_as_EF_Core_does()
    {
        using var context = new EventsContext();
        var efMigrator = context.GetService<IMigrator>();
        var expected = efMigrator.GenerateScript(EventsMigrations.SeedEvents, EventsMigrations.CreateEvents);

        var actual = new SafeMigrator(context).GenerateStepScript(new MigrationStep(MigrationAction.Revert, EventsMigrations.SeedEvents));

        Assert.Contains("TIMESTAMP '2024-01-01T00:00:00'", expected);
        Assert.Equal(expected, actual);
    }
}

internal static class EventsMigrations
{
    public const string CreateEvents = "20250401000000_CreateEvents";
    public const string SeedEvents = "20250402000000_SeedEvents";

    public static void Model(ModelBuilder modelBuilder) =>
        modelBuilder.Entity("Event", b =>
        {
            b.Property<int>("Id").HasColumnType("integer");
            b.Property<DateTime>("At").HasColumnType("timestamp without time zone");
            b.HasKey("Id");
            b.ToTable("events");
        });
}

internal sealed class EventsContext : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder.UseNpgsql("Host=127.0.0.1;Port=1;Database=not_used")
            .ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.PendingModelChangesWarning));
}

[DbContext(typeof(EventsContext))]
[Migration(EventsMigrations.CreateEvents)]
internal sealed class CreateEventsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.CreateTable(
            name: "events",
            columns: table => new
            {
                Id = table.Column<int>(type: "integer", nullable: false),
                At = table.Column<DateTime>(type: "timestamp without time zone", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_events", x => x.Id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "events");

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => EventsMigrations.Model(modelBuilder);
}

[DbContext(typeof(EventsContext))]
[Migration(EventsMigrations.SeedEvents)]
internal sealed class SeedEventsMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.InsertData(table: "events", columns: ["Id", "At"], values: new object[] { 1, new DateTime(2024, 1, 1) });

    protected override void Down(MigrationBuilder migrationBuilder)
        => migrationBuilder.DeleteData(table: "events", keyColumn: "At", keyValue: new DateTime(2024, 1, 1));

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => EventsMigrations.Model(modelBuilder);
}
