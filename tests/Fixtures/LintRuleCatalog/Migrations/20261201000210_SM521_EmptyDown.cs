using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM521: Up adds a column, Down does nothing.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000210_SM521_EmptyDown")]
    public partial class SM521_EmptyDown : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Colour", table: "Products", type: "text", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // emptied by hand
        }
    }
}
