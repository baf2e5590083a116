using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM517: locking DDL written as SQL: a plain CREATE INDEX, a CHECK without NOT VALID, SET NOT NULL, a type change.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000170_SM517_LockingDdlInSql")]
    public partial class SM517_LockingDdlInSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX \"IX_Products_Quantity\" ON \"Products\" (\"Quantity\");");
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD CONSTRAINT \"CK_Products_Quantity\" CHECK (\"Quantity\" >= 0);");
            migrationBuilder.Sql("ALTER TABLE \"Products\" ALTER COLUMN \"Sku\" SET NOT NULL;");
            migrationBuilder.Sql("ALTER TABLE \"Products\" ALTER COLUMN \"Quantity\" TYPE bigint;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" ALTER COLUMN \"Quantity\" TYPE integer;");
            migrationBuilder.Sql("ALTER TABLE \"Products\" ALTER COLUMN \"Sku\" DROP NOT NULL;");
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP CONSTRAINT \"CK_Products_Quantity\";");
            migrationBuilder.Sql("DROP INDEX \"IX_Products_Quantity\";");
        }
    }
}
