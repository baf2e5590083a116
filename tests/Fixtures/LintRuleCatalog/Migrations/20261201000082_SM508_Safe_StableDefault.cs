using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe form of SM508 (and SM509): a required column with a non-volatile default (now() is stable: PostgreSQL 11+ stores it once, no rewrite).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000082_SM508_Safe_StableDefault")]
    public partial class SM508_Safe_StableDefault : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(name: "CreatedAt", table: "Products", type: "timestamp with time zone", nullable: false, defaultValueSql: "now()");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "CreatedAt", table: "Products");
        }
    }
}
