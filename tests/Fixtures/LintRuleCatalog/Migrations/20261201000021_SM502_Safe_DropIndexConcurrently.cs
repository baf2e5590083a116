using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM502 (and SM517): DROP INDEX CONCURRENTLY outside a transaction.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000021_SM502_Safe_DropIndexConcurrently")]
    public partial class SM502_Safe_DropIndexConcurrently : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY IF EXISTS \"IX_Products_Name\";", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"IX_Products_Name\" ON \"Products\" (\"Name\");", suppressTransaction: true);
        }
    }
}
