using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM520: a concurrent index sharing its migration with another operation.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000200_SM520_ConcurrentIndexNotAlone")]
    public partial class SM520_ConcurrentIndexNotAlone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Barcode", table: "Products", type: "text", nullable: true);
            migrationBuilder.CreateIndex(name: "IX_Products_Description", table: "Products", column: "Description")
                .Annotation("Npgsql:CreatedConcurrently", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "IX_Products_Description", table: "Products");
            migrationBuilder.DropColumn(name: "Barcode", table: "Products");
        }
    }
}
