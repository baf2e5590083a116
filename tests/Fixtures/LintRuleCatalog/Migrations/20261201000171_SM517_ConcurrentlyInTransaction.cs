using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM517: CREATE INDEX CONCURRENTLY without suppressTransaction (PostgreSQL refuses it inside the migration transaction).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000171_SM517_ConcurrentlyInTransaction")]
    public partial class SM517_ConcurrentlyInTransaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Products_Quantity\" ON \"Products\" (\"Quantity\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY \"IX_Products_Quantity\";", suppressTransaction: true);
        }
    }
}
