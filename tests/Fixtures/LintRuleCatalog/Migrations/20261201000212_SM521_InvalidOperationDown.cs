using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM521: Down throws InvalidOperationException.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000212_SM521_InvalidOperationDown")]
    public partial class SM521_InvalidOperationDown : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Weight", table: "Products", type: "text", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            throw new InvalidOperationException("Weight cannot be removed once recorded.");
        }
    }
}
