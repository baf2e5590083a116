using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM515 (and SM518): a bounded backfill in a migration of its own.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000151_SM515_Safe_BoundedBackfill")]
    public partial class SM515_Safe_BoundedBackfill : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Products\" SET \"Quantity\" = 0 WHERE \"Quantity\" < 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // the data change is not undone
        }
    }
}
