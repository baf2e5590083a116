using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// A DbContext whose hand-written migrations cover what compiled migrations must reproduce: tables with an identity column, a
/// foreign key and an index (with a designer, so EF Core builds a target model), <c>Sql()</c> steps, a
/// <c>suppressTransaction</c> <c>CREATE INDEX CONCURRENTLY</c>, a rename. Every command EF Core sends is recorded.
/// </summary>
internal sealed class CompiledTestContext(string connectionString, List<string> executed) : DbContext
{
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder
            .UseNpgsql(connectionString)
            .AddInterceptors(new CommandRecorder(executed))
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    private sealed class CommandRecorder(List<string> executed) : DbCommandInterceptor
    {
        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            executed.Add(command.CommandText);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            executed.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            executed.Add(command.CommandText);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            executed.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            executed.Add(command.CommandText);
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            executed.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}

/// <summary>Ids of <see cref="CompiledTestContext"/>'s migrations, oldest first, and how often a target model was built.</summary>
internal static class CompiledTestMigrations
{
    public const string CreateShop = "20250301000000_CreateShop";
    public const string SeedAndFunction = "20250302000000_SeedAndFunction";
    public const string IndexConcurrently = "20250303000000_IndexConcurrently";
    public const string RenameTotal = "20250304000000_RenameTotal";

    public static readonly string[] All = [CreateShop, SeedAndFunction, IndexConcurrently, RenameTotal];

    private static int _targetModelsBuilt;

    /// <summary>How many times a designer's <c>BuildTargetModel</c> ran (EF Core building a target model).</summary>
    public static int TargetModelsBuilt => Volatile.Read(ref _targetModelsBuilt);

    public static void CountTargetModel() => Interlocked.Increment(ref _targetModelsBuilt);

    /// <summary>The designer of the shop's tables, as EF Core's scaffolder writes one.</summary>
    public static void BuildShopModel(ModelBuilder modelBuilder, string totalColumn)
    {
        CountTargetModel();
        modelBuilder.HasAnnotation("ProductVersion", "10.0.0").HasAnnotation("Relational:MaxIdentifierLength", 63);
        modelBuilder.Entity("Shop.Customer", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("integer").HasColumnName("id");
            b.Property<string>("Name").IsRequired().HasColumnType("text").HasColumnName("name");
            b.HasKey("Id").HasName("pk_customers");
            b.ToTable("customers");
        });
        modelBuilder.Entity("Shop.Order", b =>
        {
            b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("integer").HasColumnName("id");
            b.Property<int>("CustomerId").HasColumnType("integer").HasColumnName("customer_id");
            b.Property<decimal>("Total").HasColumnType("numeric(12,2)").HasColumnName(totalColumn);
            b.HasKey("Id").HasName("pk_orders");
            b.HasIndex("CustomerId").HasDatabaseName("ix_orders_customer_id");
            b.ToTable("orders");
            b.HasOne("Shop.Customer", null).WithMany().HasForeignKey("CustomerId").HasConstraintName("fk_orders_customers_customer_id").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
    }
}

[DbContext(typeof(CompiledTestContext))]
[Migration(CompiledTestMigrations.CreateShop)]
internal sealed class CreateShopMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "customers",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", global::Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                name = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_customers", x => x.id));
        migrationBuilder.CreateTable(
            name: "orders",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false)
                    .Annotation("Npgsql:ValueGenerationStrategy", global::Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                customer_id = table.Column<int>(type: "integer", nullable: false),
                total = table.Column<decimal>(type: "numeric(12,2)", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_orders", x => x.id);
                table.ForeignKey("fk_orders_customers_customer_id", x => x.customer_id, "customers", "id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "ix_orders_customer_id", table: "orders", column: "customer_id");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "orders");
        migrationBuilder.DropTable(name: "customers");
    }

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => CompiledTestMigrations.BuildShopModel(modelBuilder, "total");
}

[DbContext(typeof(CompiledTestContext))]
[Migration(CompiledTestMigrations.SeedAndFunction)]
internal sealed class SeedAndFunctionMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("INSERT INTO customers (name) VALUES ('first'), ('second')");
        migrationBuilder.Sql("""
            CREATE FUNCTION customer_count() RETURNS bigint LANGUAGE sql AS $$
                SELECT count(*) FROM customers;
            $$;
            """);
        migrationBuilder.InsertData(table: "orders", columns: ["customer_id", "total"], values: new object[] { 1, 12.5m });
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DELETE FROM orders; DELETE FROM customers;");
        migrationBuilder.Sql("DROP FUNCTION customer_count();");
    }

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => CompiledTestMigrations.BuildShopModel(modelBuilder, "total");
}

[DbContext(typeof(CompiledTestContext))]
[Migration(CompiledTestMigrations.IndexConcurrently)]
internal sealed class IndexConcurrentlyMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.Sql("CREATE INDEX CONCURRENTLY ix_customers_name ON customers (name);", suppressTransaction: true);

    protected override void Down(MigrationBuilder migrationBuilder)
        => migrationBuilder.Sql("DROP INDEX CONCURRENTLY ix_customers_name;", suppressTransaction: true);

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => CompiledTestMigrations.BuildShopModel(modelBuilder, "total");
}

[DbContext(typeof(CompiledTestContext))]
[Migration(CompiledTestMigrations.RenameTotal)]
internal sealed class RenameTotalMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.RenameColumn(name: "total", table: "orders", newName: "amount");
        migrationBuilder.AddColumn<string>(name: "note", table: "orders", type: "text", nullable: false, defaultValue: "");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "note", table: "orders");
        migrationBuilder.RenameColumn(name: "amount", table: "orders", newName: "total");
    }

    protected override void BuildTargetModel(ModelBuilder modelBuilder) => CompiledTestMigrations.BuildShopModel(modelBuilder, "amount");
}
