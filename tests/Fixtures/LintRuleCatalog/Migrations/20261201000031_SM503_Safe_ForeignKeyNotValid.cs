using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM503 (and SM517): the foreign key added NOT VALID; VALIDATE is catalog-light.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000031_SM503_Safe_ForeignKeyNotValid")]
    public partial class SM503_Safe_ForeignKeyNotValid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" ADD CONSTRAINT \"FK_Products_Categories_CategoryId\" FOREIGN KEY (\"CategoryId\") REFERENCES \"Categories\" (\"Id\") NOT VALID;");
            migrationBuilder.Sql("ALTER TABLE \"Products\" VALIDATE CONSTRAINT \"FK_Products_Categories_CategoryId\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"Products\" DROP CONSTRAINT \"FK_Products_Categories_CategoryId\";");
        }
    }
}
