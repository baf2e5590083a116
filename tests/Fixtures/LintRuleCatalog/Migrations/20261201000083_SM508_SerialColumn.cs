using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM508: a required serial column fills every existing row from its sequence (it does not fail, so SM509 does not apply).</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000083_SM508_SerialColumn")]
    public partial class SM508_SerialColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(name: "Position", table: "Logs", type: "serial", nullable: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Position", table: "Logs");
        }
    }
}
