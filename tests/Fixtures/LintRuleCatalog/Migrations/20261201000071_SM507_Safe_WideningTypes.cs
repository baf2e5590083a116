using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM507 and SM514: a longer varchar, varchar to text, more numeric precision (no rewrite, no check).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000071_SM507_Safe_WideningTypes")]
    public partial class SM507_Safe_WideningTypes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "Description", table: "Products", type: "character varying(500)", maxLength: 500, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(200)", oldMaxLength: 200, oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "Name", table: "Products", type: "text", nullable: true,
                oldClrType: typeof(string), oldType: "character varying(100)", oldMaxLength: 100, oldNullable: true);
            migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric(12,2)", precision: 12, scale: 2, nullable: false,
                oldClrType: typeof(decimal), oldType: "numeric(10,2)", oldPrecision: 10, oldScale: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(name: "Price", table: "Products", type: "numeric(10,2)", precision: 10, scale: 2, nullable: false,
                oldClrType: typeof(decimal), oldType: "numeric(12,2)", oldPrecision: 12, oldScale: 2);
            migrationBuilder.AlterColumn<string>(name: "Name", table: "Products", type: "character varying(100)", maxLength: 100, nullable: true,
                oldClrType: typeof(string), oldType: "text", oldNullable: true);
            migrationBuilder.AlterColumn<string>(name: "Description", table: "Products", type: "character varying(200)", maxLength: 200, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(500)", oldMaxLength: 500, oldNullable: true);
        }
    }
}
