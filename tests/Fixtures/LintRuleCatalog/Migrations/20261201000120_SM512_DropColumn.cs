using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM512: a column dropped.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000120_SM512_DropColumn")]
    public partial class SM512_DropColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "LegacyCode", table: "Products");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "LegacyCode", table: "Products", type: "text", nullable: true);
        }
    }
}
