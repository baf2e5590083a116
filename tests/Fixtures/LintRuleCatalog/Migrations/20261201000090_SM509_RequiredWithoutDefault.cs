using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM509: a required column without a default fails on the first existing row.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000090_SM509_RequiredWithoutDefault")]
    public partial class SM509_RequiredWithoutDefault : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "Stock", table: "Products", type: "integer", nullable: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Stock", table: "Products");
        }
    }
}
