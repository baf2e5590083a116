using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM519: SQL lint cannot classify (a DO block).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000190_SM519_UnclassifiedSql")]
    public partial class SM519_UnclassifiedSql : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DO $$ BEGIN PERFORM 1; END $$;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("SELECT 1;"); // nothing to undo
        }
    }
}
