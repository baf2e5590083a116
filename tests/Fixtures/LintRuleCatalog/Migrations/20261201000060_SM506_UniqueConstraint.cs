using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM506: AddUniqueConstraint and AddPrimaryKey on existing tables.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000060_SM506_UniqueConstraint")]
    public partial class SM506_UniqueConstraint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddUniqueConstraint(name: "AK_Products_LegacyCode", table: "Products", column: "LegacyCode");
            migrationBuilder.AddPrimaryKey(name: "PK_Events", table: "Events", column: "Id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(name: "PK_Events", table: "Events");
            migrationBuilder.DropUniqueConstraint(name: "AK_Products_LegacyCode", table: "Products");
        }
    }
}
