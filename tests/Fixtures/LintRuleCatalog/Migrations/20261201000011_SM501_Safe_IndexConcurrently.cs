using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM501 (and SM520): IsCreatedConcurrently(), alone in its migration.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000011_SM501_Safe_IndexConcurrently")]
    public partial class SM501_Safe_IndexConcurrently : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(name: "IX_Products_Price", table: "Products", column: "Price")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Products_Price", table: "Products");
        }
    }
}
