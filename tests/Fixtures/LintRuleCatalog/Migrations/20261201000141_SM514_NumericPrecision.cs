using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM514: less numeric precision (existing larger values fail).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000141_SM514_NumericPrecision")]
    public partial class SM514_NumericPrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric(8,2)", precision: 8, scale: 2, nullable: false,
                oldClrType: typeof(decimal), oldType: "numeric(10,2)", oldPrecision: 10, oldScale: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric(10,2)", precision: 10, scale: 2, nullable: false,
                oldClrType: typeof(decimal), oldType: "numeric(8,2)", oldPrecision: 8, oldScale: 2);
        }
    }
}
