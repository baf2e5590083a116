using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM505: a nullable column made required.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000050_SM505_SetNotNull")]
    public partial class SM505_SetNotNull : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "Note", table: "Products", type: "text", nullable: false, defaultValue: "",
                oldClrType: typeof(string), oldType: "text", oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(name: "Note", table: "Products", type: "text", nullable: true,
                oldClrType: typeof(string), oldType: "text", oldNullable: false, oldDefaultValue: "");
        }
    }
}
