#!/usr/bin/env python3
"""Writes the benchmark's EF Core project: a chain of migrations as `dotnet ef migrations add` writes them.

    build/bench/generate.py [--shape column|app] PROJECT_DIR FIRST LAST

Writes migrations Step<FIRST>..Step<LAST> (migration file + designer file with BuildTargetModel),
and, for step LAST, the model snapshot and the entity class, into PROJECT_DIR (Bench.csproj,
BenchContext.cs, the design-time factory and Program.cs are written when FIRST is 1).

Step0001 creates two tables (Customers, Orders with a foreign key). Every later step adds a column
Step<k> to Customers (text on odd steps, integer on even ones) and drops the column the step before
added: each migration adds a column to a table, while the model (and so every designer's
BuildTargetModel) keeps the same modest size, so a 1,000-migration project still compiles in
reasonable time. The files are what `dotnet ef migrations add` scaffolds for these model changes
(checked against it: migration, designer and snapshot match apart from the id's timestamp). Ids are 14-digit timestamps one minute
apart from 2025-01-01 00:00, so they sort in step order. Files are UTF-8 with a BOM and CRLF-free,
as EF Core writes them on Linux.

--shape app (build/bench-apply.sh) writes a history shaped like a real application's instead: after Step0001 the
steps cycle through creating a table (with a foreign key to Customers and its index), adding a nullable column,
indexing a column, renaming a column, two Sql() steps (a view, dropped by Down, and an UPDATE) and adding a NOT NULL
column with a default; each designer builds the whole model as it stands after its step, so BuildTargetModel grows
with the history as in a real project. Only Customer and Order are entity classes, so the design-time factory ignores
EF Core's PendingModelChangesWarning: `dotnet ef database update` and safe-migrate apply the same history alike.
"""
import datetime
import os
import sys

NS = "Bench"
BASE = datetime.datetime(2025, 1, 1, 0, 0, 0)


def step_name(k):
    return f"Step{k:04d}"


def is_text(k):
    """Odd steps add a text column, even steps an integer one (so EF's differ sees a drop and an add, not a rename)."""
    return k % 2 == 1


def designer_property(k):
    if is_text(k):
        return f'''                    b.Property<string>("{step_name(k)}")
                        .HasMaxLength(100)
                        .HasColumnType("character varying(100)");
'''
    return f'''                    b.Property<int?>("{step_name(k)}")
                        .HasColumnType("integer");
'''


def add_column(k):
    if is_text(k):
        return f'''            migrationBuilder.AddColumn<string>(
                name: "{step_name(k)}",
                table: "Customers",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
'''
    return f'''            migrationBuilder.AddColumn<int>(
                name: "{step_name(k)}",
                table: "Customers",
                type: "integer",
                nullable: true);
'''


def migration_id(k):
    return (BASE + datetime.timedelta(minutes=k)).strftime("%Y%m%d%H%M%S") + "_" + step_name(k)


def write(path, text, bom=True):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="\n") as f:
        f.write(text)


def model_body(k):
    """The statements of BuildTargetModel/BuildModel for the model after step k."""
    return f'''            modelBuilder
                .HasAnnotation("ProductVersion", "10.0.14")
                .HasAnnotation("Relational:MaxIdentifierLength", 63);

            NpgsqlModelBuilderExtensions.UseIdentityByDefaultColumns(modelBuilder);

            modelBuilder.Entity("{NS}.Model.Customer", b =>
                {{
                    b.Property<int>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("integer");

                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<int>("Id"));

                    b.Property<DateTime>("CreatedAt")
                        .HasColumnType("timestamp with time zone");

                    b.Property<string>("Email")
                        .IsRequired()
                        .HasMaxLength(320)
                        .HasColumnType("character varying(320)");

                    b.Property<string>("Name")
                        .IsRequired()
                        .HasMaxLength(200)
                        .HasColumnType("character varying(200)");

{designer_property(k)}
                    b.HasKey("Id");

                    b.ToTable("Customers");
                }});

            modelBuilder.Entity("{NS}.Model.Order", b =>
                {{
                    b.Property<int>("Id")
                        .ValueGeneratedOnAdd()
                        .HasColumnType("integer");

                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<int>("Id"));

                    b.Property<int>("CustomerId")
                        .HasColumnType("integer");

                    b.Property<DateTime>("PlacedAt")
                        .HasColumnType("timestamp with time zone");

                    b.Property<decimal>("Total")
                        .HasPrecision(10, 2)
                        .HasColumnType("numeric(10,2)");

                    b.HasKey("Id");

                    b.HasIndex("CustomerId");

                    b.ToTable("Orders");
                }});

            modelBuilder.Entity("{NS}.Model.Order", b =>
                {{
                    b.HasOne("{NS}.Model.Customer", "Customer")
                        .WithMany("Orders")
                        .HasForeignKey("CustomerId")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();

                    b.Navigation("Customer");
                }});

            modelBuilder.Entity("{NS}.Model.Customer", b =>
                {{
                    b.Navigation("Orders");
                }});
'''


USINGS = f'''// <auto-generated />
using System;
using {NS};
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable
'''


def designer(k):
    return USINGS + f'''
namespace {NS}.Migrations
{{
    [DbContext(typeof(BenchContext))]
    [Migration("{migration_id(k)}")]
    partial class {step_name(k)}
    {{
        /// <inheritdoc />
        protected override void BuildTargetModel(ModelBuilder modelBuilder)
        {{
#pragma warning disable 612, 618
{model_body(k)}#pragma warning restore 612, 618
        }}
    }}
}}
'''


def snapshot(k):
    return USINGS.replace("using Microsoft.EntityFrameworkCore.Migrations;\n", "") + f'''
namespace {NS}.Migrations
{{
    [DbContext(typeof(BenchContext))]
    partial class BenchContextModelSnapshot : ModelSnapshot
    {{
        protected override void BuildModel(ModelBuilder modelBuilder)
        {{
#pragma warning disable 612, 618
{model_body(k)}#pragma warning restore 612, 618
        }}
    }}
}}
'''


def initial_up_down(k):
    up = f'''            migrationBuilder.CreateTable(
                name: "Customers",
                columns: table => new
                {{
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    {step_name(k)} = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                }},
                constraints: table =>
                {{
                    table.PrimaryKey("PK_Customers", x => x.Id);
                }});

            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {{
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CustomerId = table.Column<int>(type: "integer", nullable: false),
                    PlacedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Total = table.Column<decimal>(type: "numeric(10,2)", precision: 10, scale: 2, nullable: false)
                }},
                constraints: table =>
                {{
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Orders_Customers_CustomerId",
                        column: x => x.CustomerId,
                        principalTable: "Customers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                }});

            migrationBuilder.CreateIndex(
                name: "IX_Orders_CustomerId",
                table: "Orders",
                column: "CustomerId");
'''
    down = '''            migrationBuilder.DropTable(
                name: "Orders");

            migrationBuilder.DropTable(
                name: "Customers");
'''
    return up, down


def step_up_down(k):
    new, old = step_name(k), step_name(k - 1)
    up = f'''            migrationBuilder.DropColumn(
                name: "{old}",
                table: "Customers");

{add_column(k)}'''
    down = f'''            migrationBuilder.DropColumn(
                name: "{new}",
                table: "Customers");

{add_column(k - 1)}'''
    return up, down


def migration(k):
    up, down = initial_up_down(k) if k == 1 else step_up_down(k)
    usings = "using System;\nusing Microsoft.EntityFrameworkCore.Migrations;\nusing Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;\n" if k == 1 else "using Microsoft.EntityFrameworkCore.Migrations;\n"
    return usings + f'''
#nullable disable

namespace {NS}.Migrations
{{
    /// <inheritdoc />
    public partial class {step_name(k)} : Migration
    {{
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {{
{up}        }}

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {{
{down}        }}
    }}
}}
'''


def project_files(project):
    write(os.path.join(project, "Bench.csproj"), '''<Project Sdk="Microsoft.NET.Sdk">

  <!-- Benchmark project of build/bench-check.sh (generated by build/bench/generate.py); same packages as samples/Shop. -->
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <RootNamespace>Bench</RootNamespace>
    <AssemblyName>Bench</AssemblyName>
    <IsPackable>false</IsPackable>
    <UseEfCoreDesign>true</UseEfCoreDesign>
  </PropertyGroup>

  <ItemGroup>
    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" />
    <PackageReference Include="Microsoft.EntityFrameworkCore.Relational" />
  </ItemGroup>

</Project>
''', bom=False)
    write(os.path.join(project, "BenchContext.cs"), f'''using Microsoft.EntityFrameworkCore;
using {NS}.Model;

namespace {NS};

public class BenchContext(DbContextOptions<BenchContext> options) : DbContext(options)
{{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {{
        modelBuilder.Entity<Customer>(customer =>
        {{
            customer.Property(c => c.Name).HasMaxLength(200);
            customer.Property(c => c.Email).HasMaxLength(320);
        }});

        modelBuilder.Entity<Order>(order =>
        {{
            order.Property(o => o.Total).HasPrecision(10, 2);
        }});
    }}
}}
''', bom=False)
    write(os.path.join(project, "BenchContextFactory.cs"), f'''using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace {NS};

/// <summary>Design-time factory; the database does not exist (the benchmark never connects).</summary>
public class BenchContextFactory : IDesignTimeDbContextFactory<BenchContext>
{{
    public BenchContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<BenchContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Bench") ?? "Host=localhost;Port=5432;Database=bench_does_not_exist;Username=postgres")
            .Options);
}}
''', bom=False)
    write(os.path.join(project, "Program.cs"), f'''using {NS};

using var db = new BenchContextFactory().CreateDbContext(args);
Console.WriteLine($"{{db.Model.GetEntityTypes().Count()}} entity types");
''', bom=False)
    write(os.path.join(project, "Model", "Order.cs"), f'''namespace {NS}.Model;

public class Order
{{
    public int Id {{ get; set; }}

    public int CustomerId {{ get; set; }}

    public Customer Customer {{ get; set; }} = null!;

    public DateTime PlacedAt {{ get; set; }}

    public decimal Total {{ get; set; }}
}}
''', bom=False)


def customer(project, k):
    step_property = f"    [MaxLength(100)]\n    public string? {step_name(k)} {{ get; set; }}" if is_text(k) else f"    public int? {step_name(k)} {{ get; set; }}"
    write(os.path.join(project, "Model", "Customer.cs"), f'''using System.ComponentModel.DataAnnotations;

namespace {NS}.Model;

public class Customer
{{
    public int Id {{ get; set; }}

    public string Name {{ get; set; }} = "";

    public string Email {{ get; set; }} = "";

    public DateTime CreatedAt {{ get; set; }}

{step_property}

    public List<Order> Orders {{ get; }} = [];
}}
''', bom=False)


def main():
    args = sys.argv[1:]
    shape = "column"
    if len(args) >= 2 and args[0] == "--shape":
        shape, args = args[1], args[2:]
    if len(args) != 3 or shape not in ("column", "app"):
        sys.exit("usage: generate.py [--shape column|app] PROJECT_DIR FIRST LAST")
    project, first, last = args[0], int(args[1]), int(args[2])
    if first < 1 or last < first:
        sys.exit("FIRST must be 1 or more and LAST at least FIRST")
    if shape == "app":
        app_shape(project, first, last)
        return
    if first == 1:
        project_files(project)
    migrations = os.path.join(project, "Migrations")
    for k in range(first, last + 1):
        mid = migration_id(k)
        write(os.path.join(migrations, f"{mid}.cs"), migration(k))
        write(os.path.join(migrations, f"{mid}.Designer.cs"), designer(k))
    write(os.path.join(migrations, "BenchContextModelSnapshot.cs"), snapshot(last))
    customer(project, last)


# --- --shape app: a history shaped like a real application's ---------------------------------------------------------

class Column:
    def __init__(self, name, clr, store, nullable, identity=False, max_length=None, default=None):
        self.name, self.clr, self.store, self.nullable = name, clr, store, nullable
        self.identity, self.max_length, self.default = identity, max_length, default


class Table:
    def __init__(self, name, entity):
        self.name, self.entity, self.columns, self.indexes, self.fks = name, entity, [], [], []


def app_initial_tables():
    customers = Table("Customers", "Customer")
    customers.columns = [
        Column("Id", "int", "integer", False, identity=True),
        Column("Name", "string", "character varying(200)", False, max_length=200),
        Column("Email", "string", "character varying(320)", False, max_length=320),
        Column("CreatedAt", "DateTime", "timestamp with time zone", False),
    ]
    orders = Table("Orders", "Order")
    orders.columns = [
        Column("Id", "int", "integer", False, identity=True),
        Column("CustomerId", "int", "integer", False),
        Column("PlacedAt", "DateTime", "timestamp with time zone", False),
        Column("Total", "decimal", "numeric(10,2)", False),
    ]
    orders.indexes = [("IX_Orders_CustomerId", "CustomerId")]
    orders.fks = [("FK_Orders_Customers_CustomerId", "CustomerId", "Customers")]
    return [customers, orders]


def app_column_args(c):
    args = [f'type: "{c.store}"']
    if c.max_length:
        args.append(f"maxLength: {c.max_length}")
    args.append(f"nullable: {'true' if c.nullable else 'false'}")
    if c.default is not None:
        args.append(f"defaultValue: {c.default}")
    return ", ".join(args)


def app_create_table(t):
    cols = []
    for c in t.columns:
        line = f"                    {c.name} = table.Column<{c.clr}>({app_column_args(c)})"
        if c.identity:
            line += "\n                        .Annotation(\"Npgsql:ValueGenerationStrategy\", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)"
        cols.append(line)
    fks = "".join(f'''
                    table.ForeignKey(
                        name: "{name}",
                        column: x => x.{col},
                        principalTable: "{principal}",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);''' for name, col, principal in t.fks)
    columns = ",\n".join(cols)
    code = f'''            migrationBuilder.CreateTable(
                name: "{t.name}",
                columns: table => new
                {{
{columns}
                }},
                constraints: table =>
                {{
                    table.PrimaryKey("PK_{t.name}", x => x.Id);{fks}
                }});

'''
    for name, col in t.indexes:
        code += f'''            migrationBuilder.CreateIndex(
                name: "{name}",
                table: "{t.name}",
                column: "{col}");

'''
    return code


def app_designer_body(tables):
    out = '''            modelBuilder
                .HasAnnotation("ProductVersion", "10.0.14")
                .HasAnnotation("Relational:MaxIdentifierLength", 63);

            NpgsqlModelBuilderExtensions.UseIdentityByDefaultColumns(modelBuilder);
'''
    for t in tables:
        out += f'''
            modelBuilder.Entity("{NS}.Model.{t.entity}", b =>
                {{
'''
        for c in sorted(t.columns, key=lambda c: (c.name != "Id", c.name)):
            clr = c.clr + ("?" if c.nullable and c.clr in ("int", "decimal", "DateTime") else "")
            out += f'''                    b.Property<{clr}>("{c.name}")'''
            if c.identity:
                out += "\n                        .ValueGeneratedOnAdd()"
            if not c.nullable and c.clr == "string":
                out += "\n                        .IsRequired()"
            if c.max_length:
                out += f"\n                        .HasMaxLength({c.max_length})"
            out += f'''\n                        .HasColumnType("{c.store}")'''
            if c.default is not None:
                out += f"\n                        .HasDefaultValue({c.default})"
            out += ";\n\n"
            if c.identity:
                out += f'''                    NpgsqlPropertyBuilderExtensions.UseIdentityByDefaultColumn(b.Property<int>("{c.name}"));\n\n'''
        out += '''                    b.HasKey("Id");\n\n'''
        for name, col in t.indexes:
            out += f'''                    b.HasIndex("{col}").HasDatabaseName("{name}");\n\n'''
        out += f'''                    b.ToTable("{t.name}");
                }});
'''
    for t in tables:
        for name, col, principal in t.fks:
            pe = next(x.entity for x in tables if x.name == principal)
            out += f'''
            modelBuilder.Entity("{NS}.Model.{t.entity}", b =>
                {{
                    b.HasOne("{NS}.Model.{pe}", null)
                        .WithMany()
                        .HasForeignKey("{col}")
                        .OnDelete(DeleteBehavior.Cascade)
                        .IsRequired();
                }});
'''
    return out


def app_step(k, tables):
    """Changes `tables` to the model after step k; returns the (Up, Down) code."""
    if k == 1:
        tables.extend(app_initial_tables())
        up = "".join(app_create_table(t) for t in tables)
        down = '''            migrationBuilder.DropTable(
                name: "Orders");

            migrationBuilder.DropTable(
                name: "Customers");
'''
        return up, down
    kind = k % 6
    target = tables[k % len(tables)]
    added = [c for c in target.columns if c.name.startswith("Col") and not c.name.endswith("Renamed")]
    if kind == 0 or (kind in (2, 3) and not added):
        t = Table(f"Table{k:04d}", f"Table{k:04d}")
        t.columns = [
            Column("Id", "int", "integer", False, identity=True),
            Column("CustomerId", "int", "integer", False),
            Column("Title", "string", "character varying(200)", False, max_length=200),
            Column("CreatedAt", "DateTime", "timestamp with time zone", False),
        ]
        t.indexes = [(f"IX_{t.name}_CustomerId", "CustomerId")]
        t.fks = [(f"FK_{t.name}_Customers_CustomerId", "CustomerId", "Customers")]
        tables.append(t)
        return app_create_table(t), f'''            migrationBuilder.DropTable(
                name: "{t.name}");
'''
    if kind == 1:
        c = Column(f"Col{k:04d}", "string", "text", True) if k % 12 == 1 else Column(f"Col{k:04d}", "int", "integer", True)
        target.columns.append(c)
        return f'''            migrationBuilder.AddColumn<{c.clr}>(
                name: "{c.name}",
                table: "{target.name}",
                {app_column_args(c)});
''', f'''            migrationBuilder.DropColumn(
                name: "{c.name}",
                table: "{target.name}");
'''
    if kind == 2:
        c = added[-1]
        name = f"IX_{target.name}_{c.name}_{k:04d}"
        target.indexes.append((name, c.name))
        return f'''            migrationBuilder.CreateIndex(
                name: "{name}",
                table: "{target.name}",
                column: "{c.name}");
''', f'''            migrationBuilder.DropIndex(
                name: "{name}",
                table: "{target.name}");
'''
    if kind == 3:
        c = added[-1]
        old, new = c.name, f"{c.name}Renamed"
        c.name = new
        target.indexes = [(n, new if col == old else col) for n, col in target.indexes]
        return f'''            migrationBuilder.RenameColumn(
                name: "{old}",
                table: "{target.name}",
                newName: "{new}");
''', f'''            migrationBuilder.RenameColumn(
                name: "{new}",
                table: "{target.name}",
                newName: "{old}");
'''
    if kind == 4:
        view = f"v_step{k:04d}"
        return f'''            migrationBuilder.Sql(@"CREATE VIEW {view} AS SELECT c.""Id"", c.""Name"", count(o.""Id"") AS orders FROM ""Customers"" c LEFT JOIN ""Orders"" o ON o.""CustomerId"" = c.""Id"" GROUP BY c.""Id"", c.""Name""");
            migrationBuilder.Sql(@"UPDATE ""Customers"" SET ""Email"" = lower(""Email"") WHERE ""Email"" <> lower(""Email"")");
''', f'''            migrationBuilder.Sql(@"DROP VIEW {view}");
'''
    c = Column(f"Col{k:04d}", "int", "integer", False, default="0")
    target.columns.append(c)
    return f'''            migrationBuilder.AddColumn<int>(
                name: "{c.name}",
                table: "{target.name}",
                {app_column_args(c)});
''', f'''            migrationBuilder.DropColumn(
                name: "{c.name}",
                table: "{target.name}");
'''


def app_migration(k, up, down):
    usings = "using System;\nusing Microsoft.EntityFrameworkCore.Migrations;\nusing Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;\n"
    return usings + f'''
#nullable disable

namespace {NS}.Migrations
{{
    /// <inheritdoc />
    public partial class {step_name(k)} : Migration
    {{
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {{
{up}        }}

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {{
{down}        }}
    }}
}}
'''


def app_designer(k, body):
    return USINGS + f'''
namespace {NS}.Migrations
{{
    [DbContext(typeof(BenchContext))]
    [Migration("{migration_id(k)}")]
    partial class {step_name(k)}
    {{
        /// <inheritdoc />
        protected override void BuildTargetModel(ModelBuilder modelBuilder)
        {{
#pragma warning disable 612, 618
{body}#pragma warning restore 612, 618
        }}
    }}
}}
'''


def app_shape(project, first, last):
    tables = []
    migrations = os.path.join(project, "Migrations")
    body = ""
    for k in range(1, last + 1):
        up, down = app_step(k, tables)
        body = app_designer_body(tables)
        if k >= first:
            write(os.path.join(migrations, f"{migration_id(k)}.cs"), app_migration(k, up, down))
            write(os.path.join(migrations, f"{migration_id(k)}.Designer.cs"), app_designer(k, body))
    write(os.path.join(migrations, "BenchContextModelSnapshot.cs"), USINGS.replace("using Microsoft.EntityFrameworkCore.Migrations;\n", "") + f'''
namespace {NS}.Migrations
{{
    [DbContext(typeof(BenchContext))]
    partial class BenchContextModelSnapshot : ModelSnapshot
    {{
        protected override void BuildModel(ModelBuilder modelBuilder)
        {{
#pragma warning disable 612, 618
{body}#pragma warning restore 612, 618
        }}
    }}
}}
''')
    if first == 1:
        project_files(project)
        factory = os.path.join(project, "BenchContextFactory.cs")
        with open(factory, encoding="utf-8") as f:
            text = f.read()
        text = text.replace("using Microsoft.EntityFrameworkCore.Design;", "using Microsoft.EntityFrameworkCore.Design;\nusing Microsoft.EntityFrameworkCore.Diagnostics;")
        text = text.replace("            .Options);", "            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)) // --shape app: only Customer and Order are classes\n            .Options);")
        write(factory, text, bom=False)
        write(os.path.join(project, "Model", "Customer.cs"), f'''namespace {NS}.Model;

public class Customer
{{
    public int Id {{ get; set; }}

    public string Name {{ get; set; }} = "";

    public string Email {{ get; set; }} = "";

    public DateTime CreatedAt {{ get; set; }}

    public List<Order> Orders {{ get; }} = [];
}}
''', bom=False)


if __name__ == "__main__":
    main()
