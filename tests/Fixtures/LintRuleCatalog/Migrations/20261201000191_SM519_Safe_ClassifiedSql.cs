using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe counterpart of SM519: statements lint classifies as harmless.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000191_SM519_Safe_ClassifiedSql")]
    public partial class SM519_Safe_ClassifiedSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("COMMENT ON TABLE \"Products\" IS 'the catalog';");
            migrationBuilder.Sql("CREATE OR REPLACE VIEW \"ProductNames\" AS SELECT \"Id\", \"Name\" FROM \"Products\";");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW \"ProductNames\";");
            migrationBuilder.Sql("COMMENT ON TABLE \"Products\" IS NULL;");
        }
    }
}
