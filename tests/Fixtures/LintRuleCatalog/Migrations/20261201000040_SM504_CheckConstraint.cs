using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM504: AddCheckConstraint on an existing table.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000040_SM504_CheckConstraint")]
    public partial class SM504_CheckConstraint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddCheckConstraint(name: "CK_Products_Price", table: "Products", sql: "\"Price\" >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(name: "CK_Products_Price", table: "Products");
        }
    }
}
