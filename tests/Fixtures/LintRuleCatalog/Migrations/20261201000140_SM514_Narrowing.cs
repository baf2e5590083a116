using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM514: a shorter varchar (existing longer values fail).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000140_SM514_Narrowing")]
    public partial class SM514_Narrowing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "Name", table: "Products", type: "character varying(50)", maxLength: 50, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(100)", oldMaxLength: 100, oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "Name", table: "Products", type: "character varying(100)", maxLength: 100, nullable: true,
                oldClrType: typeof(string), oldType: "character varying(50)", oldMaxLength: 50, oldNullable: true);
        }
    }
}
