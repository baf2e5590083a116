using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM516: LOCK TABLE, TRUNCATE and VACUUM FULL in custom SQL.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000160_SM516_LockingMaintenance")]
    public partial class SM516_LockingMaintenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("LOCK TABLE \"Products\" IN ACCESS EXCLUSIVE MODE;");
            migrationBuilder.Sql("TRUNCATE \"Logs\";");
            migrationBuilder.Sql("VACUUM FULL \"Products\";", suppressTransaction: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // nothing to undo
        }
    }
}
