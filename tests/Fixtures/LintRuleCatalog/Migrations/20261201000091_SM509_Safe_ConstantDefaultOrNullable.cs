using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe forms of SM509 (and SM508): a required column with a constant default, and a nullable column.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000091_SM509_Safe_ConstantDefaultOrNullable")]
    public partial class SM509_Safe_ConstantDefaultOrNullable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "Stock", table: "Products", type: "integer", nullable: false, defaultValue: 0);
            migrationBuilder.AddColumn<int>(name: "Reserved", table: "Products", type: "integer", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Reserved", table: "Products");
            migrationBuilder.DropColumn(name: "Stock", table: "Products");
        }
    }
}
