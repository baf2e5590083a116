using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM504 (and SM517): the check constraint added NOT VALID.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000041_SM504_Safe_CheckNotValid")]
    public partial class SM504_Safe_CheckNotValid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD CONSTRAINT \"CK_Products_Price\" CHECK (\"Price\" >= 0) NOT VALID;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP CONSTRAINT \"CK_Products_Price\";");
        }
    }
}
