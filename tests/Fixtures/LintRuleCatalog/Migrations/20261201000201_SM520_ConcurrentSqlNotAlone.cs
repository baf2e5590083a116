using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM520: CREATE INDEX CONCURRENTLY as SQL (outside a transaction) sharing its migration with another operation.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000201_SM520_ConcurrentSqlNotAlone")]
    public partial class SM520_ConcurrentSqlNotAlone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Brand", table: "Products", type: "text", nullable: true);
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Products_Brand\" ON \"Products\" (\"Brand\");", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX CONCURRENTLY \"IX_Products_Brand\";", suppressTransaction: true);
            migrationBuilder.DropColumn(name: "Brand", table: "Products");
        }
    }
}
