using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>
    /// Hand-written failing migration (no designer file): sorts right after
    /// 20261121064229_RenameCustomerName and before 20261121064240_AddUniqueSkuIndex.
    /// Up creates table HalfwayMarker and then fails with a division by zero, so the
    /// migration's transaction must roll the table back.
    /// </summary>
    [DbContext(typeof(ShopContext))]
    [Migration("20261121064230_BreakHalfway")]
    public partial class BreakHalfway : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HalfwayMarker",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HalfwayMarker", x => x.Id);
                });

            migrationBuilder.Sql("SELECT 1/0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HalfwayMarker");
        }
    }
}
