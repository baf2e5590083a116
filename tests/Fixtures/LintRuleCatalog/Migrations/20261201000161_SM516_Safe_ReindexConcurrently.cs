using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM516 (and SM519): REINDEX ... CONCURRENTLY outside a transaction, alone.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000161_SM516_Safe_ReindexConcurrently")]
    public partial class SM516_Safe_ReindexConcurrently : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("REINDEX TABLE CONCURRENTLY \"Products\";", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // nothing to undo
        }
    }
}
