using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM502: DropIndex (EF Core drops without CONCURRENTLY).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000020_SM502_DropIndex")]
    public partial class SM502_DropIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Products_Name", table: "Products");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(name: "IX_Products_Name", table: "Products", column: "Name");
        }
    }
}
