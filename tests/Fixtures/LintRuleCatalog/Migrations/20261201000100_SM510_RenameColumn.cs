using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>SM510: a column renamed under the running application.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000100_SM510_RenameColumn")]
    public partial class SM510_RenameColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(name: "Note", table: "Products", newName: "Remark");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(name: "Remark", table: "Products", newName: "Note");
        }
    }
}
