using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM522: Down undoes only one of the two columns Up adds.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000220_SM522_DownDoesNotUndoUp")]
    public partial class SM522_DownDoesNotUndoUp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Origin", table: "Products", type: "text", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Material", table: "Products", type: "text", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Origin", table: "Products");
        }
    }
}
