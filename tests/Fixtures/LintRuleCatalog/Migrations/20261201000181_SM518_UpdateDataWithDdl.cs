using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM518: EF Core UpdateData in the same migration as a schema change.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000181_SM518_UpdateDataWithDdl")]
    public partial class SM518_UpdateDataWithDdl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(name: "Active", table: "Categories", type: "boolean", nullable: true);
            migrationBuilder.UpdateData(table: "Categories", keyColumn: "Id", keyValue: 1, column: "Name", value: "Books");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Active", table: "Categories");
        }
    }
}
