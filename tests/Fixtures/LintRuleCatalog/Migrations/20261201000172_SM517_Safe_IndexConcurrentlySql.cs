using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM517: CREATE INDEX CONCURRENTLY with suppressTransaction, alone in its migration.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000172_SM517_Safe_IndexConcurrentlySql")]
    public partial class SM517_Safe_IndexConcurrentlySql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Products_Quantity\" ON \"Products\" (\"Quantity\");", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY \"IX_Products_Quantity\";", suppressTransaction: true);
        }
    }
}
