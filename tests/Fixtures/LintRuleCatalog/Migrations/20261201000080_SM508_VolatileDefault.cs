using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM508: a column added with a volatile default (gen_random_uuid()) rewrites the table.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000080_SM508_VolatileDefault")]
    public partial class SM508_VolatileDefault : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(name: "PublicId", table: "Products", type: "uuid", nullable: false, defaultValueSql: "gen_random_uuid()");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "PublicId", table: "Products");
        }
    }
}
