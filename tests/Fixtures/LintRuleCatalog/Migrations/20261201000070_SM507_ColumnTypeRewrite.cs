using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM507: integer to bigint rewrites the table.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000070_SM507_ColumnTypeRewrite")]
    public partial class SM507_ColumnTypeRewrite : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(name: "Quantity", table: "Products", type: "bigint", nullable: false,
                oldClrType: typeof(int), oldType: "integer");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(name: "Quantity", table: "Products", type: "integer", nullable: false,
                oldClrType: typeof(long), oldType: "bigint");
        }
    }
}
