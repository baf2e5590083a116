using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// A long migration history made in memory, shaped like build/bench/generate.py's <c>--shape app</c>: Step0001 creates
/// Customers and Orders (foreign key, index); then the steps cycle through creating a table (foreign key to Customers and
/// its index), adding a nullable column, indexing a column, renaming it, a <c>Sql()</c> view (dropped by Down), a
/// <c>Sql()</c> UPDATE and a NOT NULL column with a default. Every migration has a target model, the whole model as it
/// stands after its step (so EF Core builds a model that grows with the history, as from real designers). The migration
/// classes are emitted into a dynamic assembly (one type per id, with EF Core's <c>[DbContext]</c> and <c>[Migration]</c>)
/// that the context names as its migrations assembly, so EF Core's own <c>MigrationsAssembly</c> finds them; their
/// bodies are <see cref="GeneratedStepMigration"/>'s.
/// </summary>
internal static class GeneratedHistory
{
    /// <summary>How many migrations the history has.</summary>
    public const int Count = 200;

    private static readonly DateTime Base = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Lazy<Assembly> Migrations = new(Emit);

    /// <summary>The migrations assembly: <see cref="Count"/> migrations of <see cref="GeneratedHistoryContext"/>.</summary>
    public static Assembly Assembly => Migrations.Value;

    /// <summary>Migration ids, oldest first.</summary>
    public static IReadOnlyList<string> Ids { get; } = Enumerable.Range(1, Count).Select(Id).ToList();

    /// <summary>The id of step <paramref name="step"/> (1-based): timestamps one minute apart, as generate.py writes them.</summary>
    public static string Id(int step) => $"{Base.AddMinutes(step):yyyyMMddHHmmss}_Step{step:D4}";

    /// <summary>The step number of an emitted migration type.</summary>
    public static int StepOf(Type type)
        => int.Parse(type.GetCustomAttribute<MigrationAttribute>()!.Id[^4..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The operations of step <paramref name="step"/>, up or down.</summary>
    public static void Build(int step, MigrationBuilder builder, bool up)
    {
        var schema = SchemaBefore(step);
        if (step == 1)
        {
            if (up)
            {
                builder.Operations.Add(CreateTable("Customers", null, Column.Text("Name", nullable: false)));
                builder.Operations.Add(CreateTable("Orders", "Customers", Column.Int("CustomerId", nullable: false), new Column("Total", "numeric(12,2)", typeof(decimal), false, null)));
                builder.CreateIndex("IX_Orders_CustomerId", "Orders", "CustomerId");
            }
            else
            {
                builder.DropTable("Orders");
                builder.DropTable("Customers");
            }

            return;
        }

        var table = schema.Count == 0 ? null : schema[^1];
        switch (Kind(step))
        {
            case StepKind.CreateTable when up:
                builder.Operations.Add(CreateTable($"Table{step}", "Customers", Column.Int("CustomerId", nullable: false), Column.Text("Label", nullable: true)));
                builder.CreateIndex($"IX_Table{step}_CustomerId", $"Table{step}", "CustomerId");
                break;
            case StepKind.CreateTable:
                builder.DropTable($"Table{step}");
                break;
            case StepKind.AddNullableColumn when up:
                builder.AddColumn<string>($"Note{step}", table!.Name, type: "text", nullable: true);
                break;
            case StepKind.AddIndex when up:
                builder.CreateIndex($"IX_{table!.Name}_{table.Label}", table.Name, table.Label);
                break;
            case StepKind.AddIndex:
                builder.DropIndex($"IX_{table!.Name}_{table.Label}", table.Name);
                break;
            case StepKind.RenameColumn when up:
                builder.RenameColumn(table!.Label, table.Name, $"Title{step}");
                break;
            case StepKind.RenameColumn:
                builder.RenameColumn($"Title{step}", table!.Name, table.Label);
                break;
            case StepKind.SqlView when up:
                builder.Sql($"""CREATE VIEW "View{step}" AS SELECT "Id", "CustomerId" FROM "{table!.Name}";""");
                break;
            case StepKind.SqlView:
                builder.Sql($"""DROP VIEW "View{step}";""");
                break;
            case StepKind.SqlUpdate when up:
                builder.Sql($"""UPDATE "{table!.Name}" SET "{table.Columns.Last(c => c.Name.StartsWith("Note", StringComparison.Ordinal)).Name}" = 'step {step}'""");
                break;
            case StepKind.AddRequiredColumn when up:
                builder.AddColumn<int>($"Flag{step}", table!.Name, type: "integer", nullable: false, defaultValue: 0);
                break;
            case StepKind.AddNullableColumn:
                builder.DropColumn($"Note{step}", table!.Name);
                break;
            case StepKind.AddRequiredColumn:
                builder.DropColumn($"Flag{step}", table!.Name);
                break;
            case StepKind.SqlUpdate:
                break; // nothing to undo
            default:
                throw new InvalidOperationException($"step {step}");
        }
    }

    /// <summary>The target model of step <paramref name="step"/>: the tables as they stand after it, as a designer declares them.</summary>
    public static void BuildTargetModel(int step, ModelBuilder modelBuilder)
    {
        modelBuilder.HasAnnotation("ProductVersion", "10.0.0").HasAnnotation("Relational:MaxIdentifierLength", 63);
        modelBuilder.UseIdentityByDefaultColumns();
        foreach (var table in SchemaBefore(step + 1))
        {
            modelBuilder.Entity("Bench." + table.Name, b =>
            {
                b.Property<int>("Id").ValueGeneratedOnAdd().HasColumnType("integer").UseIdentityByDefaultColumn();
                foreach (var column in table.Columns)
                {
                    var property = b.Property(column.Clr, column.Name).HasColumnType(column.Type).IsRequired(!column.Nullable);
                    if (column.Default is not null)
                    {
                        property.HasDefaultValue(column.Default);
                    }
                }

                b.HasKey("Id");
                foreach (var index in table.Indexes)
                {
                    b.HasIndex(index.Column).HasDatabaseName(index.Name);
                }

                b.ToTable(table.Name);
                if (table.Parent is not null)
                {
                    b.HasOne("Bench." + table.Parent, null).WithMany().HasForeignKey("CustomerId").OnDelete(DeleteBehavior.Cascade).IsRequired();
                }
            });
        }
    }

    private static StepKind Kind(int step) => (StepKind)((step - 2) % 7);

    // The tables after steps 1..step-1, oldest first (replayed from the steps' up operations).
    private static List<Table> SchemaBefore(int step)
    {
        var tables = new List<Table>();
        for (var k = 1; k < step; k++)
        {
            var table = tables.Count == 0 ? null : tables[^1];
            if (k == 1)
            {
                tables.Add(new Table("Customers", null, [Column.Text("Name", nullable: false)], []));
                tables.Add(new Table("Orders", "Customers", [Column.Int("CustomerId", nullable: false), new Column("Total", "numeric(12,2)", typeof(decimal), false, null)], [new TableIndex("IX_Orders_CustomerId", "CustomerId")]));
                continue;
            }

            switch (Kind(k))
            {
                case StepKind.CreateTable:
                    tables.Add(new Table($"Table{k}", "Customers", [Column.Int("CustomerId", nullable: false), Column.Text("Label", nullable: true)], [new TableIndex($"IX_Table{k}_CustomerId", "CustomerId")]));
                    break;
                case StepKind.AddNullableColumn:
                    table!.Columns.Add(Column.Text($"Note{k}", nullable: true));
                    break;
                case StepKind.AddIndex:
                    table!.Indexes.Add(new TableIndex($"IX_{table.Name}_{table.Label}", table.Label));
                    break;
                case StepKind.RenameColumn:
                    var old = table!.Label;
                    table.Columns[table.Columns.FindIndex(c => c.Name == old)] = Column.Text($"Title{k}", nullable: true);
                    table.Indexes.ForEach(i => i.Column = i.Column == old ? $"Title{k}" : i.Column);
                    break;
                case StepKind.AddRequiredColumn:
                    table!.Columns.Add(new Column($"Flag{k}", "integer", typeof(int), false, 0));
                    break;
                default:
                    break; // Sql() steps do not change the model
            }
        }

        return tables;
    }

    private static CreateTableOperation CreateTable(string name, string? parent, params Column[] columns)
    {
        var operation = new CreateTableOperation { Name = name, PrimaryKey = new AddPrimaryKeyOperation { Name = $"PK_{name}", Table = name, Columns = ["Id"] } };
        var id = new AddColumnOperation { Name = "Id", Table = name, ClrType = typeof(int), ColumnType = "integer", IsNullable = false };
        id.AddAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);
        operation.Columns.Add(id);
        foreach (var column in columns)
        {
            operation.Columns.Add(new AddColumnOperation { Name = column.Name, Table = name, ClrType = column.Clr, ColumnType = column.Type, IsNullable = column.Nullable });
        }

        if (parent is not null)
        {
            operation.ForeignKeys.Add(new AddForeignKeyOperation
            {
                Name = $"FK_{name}_{parent}_CustomerId", Table = name, Columns = ["CustomerId"], PrincipalTable = parent, PrincipalColumns = ["Id"], OnDelete = ReferentialAction.Cascade,
            });
        }

        return operation;
    }

    private static Assembly Emit()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("EfSafeMigrate.GeneratedHistory"), AssemblyBuilderAccess.Run);
        var module = assembly.DefineDynamicModule("EfSafeMigrate.GeneratedHistory");
        var contextAttribute = typeof(DbContextAttribute).GetConstructor([typeof(Type)])!;
        var migrationAttribute = typeof(MigrationAttribute).GetConstructor([typeof(string)])!;
        for (var step = 1; step <= Count; step++)
        {
            var type = module.DefineType($"Bench.Migrations.Step{step:D4}", TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, typeof(GeneratedStepMigration));
            type.SetCustomAttribute(new CustomAttributeBuilder(contextAttribute, [typeof(GeneratedHistoryContext)]));
            type.SetCustomAttribute(new CustomAttributeBuilder(migrationAttribute, [Id(step)]));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.CreateType();
        }

        return assembly;
    }

    private enum StepKind
    {
        CreateTable,
        AddNullableColumn,
        AddIndex,
        RenameColumn,
        SqlView,
        SqlUpdate,
        AddRequiredColumn,
    }

    private sealed record Column(string Name, string Type, Type Clr, bool Nullable, object? Default)
    {
        public static Column Text(string name, bool nullable) => new(name, "text", typeof(string), nullable, null);

        public static Column Int(string name, bool nullable) => new(name, "integer", typeof(int), nullable, null);
    }

    private sealed class TableIndex(string name, string column)
    {
        public string Name { get; } = name;

        public string Column { get; set; } = column;
    }

    private sealed record Table(string Name, string? Parent, List<Column> Columns, List<TableIndex> Indexes)
    {
        // The column the index and rename steps work on: Label, or what the last rename called it.
        public string Label => Columns.Last(c => c.Name == "Label" || c.Name.StartsWith("Title", StringComparison.Ordinal)).Name;
    }
}

/// <summary>The body of every migration of <see cref="GeneratedHistory"/>: its step comes from its <c>[Migration]</c> id.</summary>
public abstract class GeneratedStepMigration : Migration
{
    /// <summary>Called by the emitted types' constructors.</summary>
    protected GeneratedStepMigration()
    {
    }

    /// <inheritdoc />
    protected override void Up(MigrationBuilder migrationBuilder) => GeneratedHistory.Build(GeneratedHistory.StepOf(GetType()), migrationBuilder, up: true);

    /// <inheritdoc />
    protected override void Down(MigrationBuilder migrationBuilder) => GeneratedHistory.Build(GeneratedHistory.StepOf(GetType()), migrationBuilder, up: false);

    /// <inheritdoc />
    protected override void BuildTargetModel(ModelBuilder modelBuilder) => GeneratedHistory.BuildTargetModel(GeneratedHistory.StepOf(GetType()), modelBuilder);
}

/// <summary>The context of <see cref="GeneratedHistory"/>: its migrations assembly is the emitted one; every command EF Core sends is recorded.</summary>
public sealed class GeneratedHistoryContext(string connectionString, List<string> executed) : DbContext
{
    /// <inheritdoc />
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
        => optionsBuilder
            .UseNpgsql(connectionString, o => o.MigrationsAssembly(GeneratedHistory.Assembly))
            .LogTo((id, _) => id == RelationalEventId.CommandExecuting, e => executed.Add(((CommandEventData)e).Command.CommandText))
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
}
