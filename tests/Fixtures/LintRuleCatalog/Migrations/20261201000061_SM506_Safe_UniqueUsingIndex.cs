using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM506 (and SM517): the constraint adopts an existing unique index (catalog only).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000061_SM506_Safe_UniqueUsingIndex")]
    public partial class SM506_Safe_UniqueUsingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD CONSTRAINT \"IX_Products_Sku\" UNIQUE USING INDEX \"IX_Products_Sku\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP CONSTRAINT \"IX_Products_Sku\";");
        }
    }
}
