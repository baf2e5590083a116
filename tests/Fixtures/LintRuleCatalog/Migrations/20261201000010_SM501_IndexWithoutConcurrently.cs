using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM501: a plain CreateIndex on an existing table.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000010_SM501_IndexWithoutConcurrently")]
    public partial class SM501_IndexWithoutConcurrently : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(name: "IX_Products_Quantity", table: "Products", column: "Quantity");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Products_Quantity", table: "Products");
        }
    }
}
