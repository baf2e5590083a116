using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM515: UPDATE and DELETE without WHERE in custom SQL.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000150_SM515_UnboundedUpdate")]
    public partial class SM515_UnboundedUpdate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Products\" SET \"Quantity\" = 0;");
            migrationBuilder.Sql("DELETE FROM \"Logs\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // the data change is not undone
        }
    }
}
