#!/usr/bin/env python3
"""Writes the benchmark's EF Core project: a chain of migrations as `dotnet ef migrations add` writes them.

    build/bench/generate.py PROJECT_DIR FIRST LAST

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
    if len(sys.argv) != 4:
        sys.exit("usage: generate.py PROJECT_DIR FIRST LAST")
    project, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if first < 1 or last < first:
        sys.exit("FIRST must be 1 or more and LAST at least FIRST")
    if first == 1:
        project_files(project)
    migrations = os.path.join(project, "Migrations")
    for k in range(first, last + 1):
        mid = migration_id(k)
        write(os.path.join(migrations, f"{mid}.cs"), migration(k))
        write(os.path.join(migrations, f"{mid}.Designer.cs"), designer(k))
    write(os.path.join(migrations, "BenchContextModelSnapshot.cs"), snapshot(last))
    customer(project, last)


if __name__ == "__main__":
    main()
