using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM516: REINDEX without CONCURRENTLY and CLUSTER in custom SQL.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000162_SM516_ReindexAndCluster")]
    public partial class SM516_ReindexAndCluster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("REINDEX TABLE \"Products\";");
            migrationBuilder.Sql("CLUSTER \"Products\" USING \"PK_Products\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // nothing to undo
        }
    }
}
