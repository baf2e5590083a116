using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe counterpart of SM505: a required column made nullable (DROP NOT NULL, catalog only).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000051_SM505_Safe_DropNotNull")]
    public partial class SM505_Safe_DropNotNull : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(name: "Quantity", table: "Products", type: "integer", nullable: true,
                oldClrType: typeof(int), oldType: "integer");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(name: "Quantity", table: "Products", type: "integer", nullable: false, defaultValue: 0,
                oldClrType: typeof(int), oldType: "integer", oldNullable: true);
        }
    }
}
