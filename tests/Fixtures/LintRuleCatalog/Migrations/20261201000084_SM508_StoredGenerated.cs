using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM508: a stored generated column computes every existing row.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000084_SM508_StoredGenerated")]
    public partial class SM508_StoredGenerated : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(name: "GrossPrice", table: "Products", type: "numeric(12,2)", nullable: false, computedColumnSql: "\"Price\" * 1.2", stored: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "GrossPrice", table: "Products");
        }
    }
}
