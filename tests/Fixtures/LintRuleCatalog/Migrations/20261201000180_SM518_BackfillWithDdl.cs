using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM518: a schema change and its backfill in one transaction.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000180_SM518_BackfillWithDdl")]
    public partial class SM518_BackfillWithDdl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "Reorder", table: "Products", type: "integer", nullable: true);
            migrationBuilder.Sql("UPDATE \"Products\" SET \"Reorder\" = 10 WHERE \"Reorder\" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Reorder", table: "Products");
        }
    }
}
