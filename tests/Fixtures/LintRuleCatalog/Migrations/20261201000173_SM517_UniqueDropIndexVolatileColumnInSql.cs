using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM517: a UNIQUE constraint, a plain DROP INDEX and a column with a volatile default, written as SQL.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000173_SM517_UniqueDropIndexVolatileColumnInSql")]
    public partial class SM517_UniqueDropIndexVolatileColumnInSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD CONSTRAINT \"AK_Products_Note\" UNIQUE (\"Note\");");
            migrationBuilder.Sql("DROP INDEX \"IX_Products_Name\";");
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD COLUMN \"Token\" uuid NOT NULL DEFAULT gen_random_uuid();");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP COLUMN \"Token\";");
            migrationBuilder.Sql("CREATE INDEX CONCURRENTLY \"IX_Products_Name\" ON \"Products\" (\"Name\");", suppressTransaction: true);
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP CONSTRAINT \"AK_Products_Note\";");
        }
    }
}
