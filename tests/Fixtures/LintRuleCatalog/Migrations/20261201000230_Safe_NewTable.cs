using Catalog;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catalog.Migrations
{
    /// <summary>Safe forms of SM501, SM503, SM504, SM506, SM509, SM521 and SM522: everything on a table created in the same migration, and a Down that undoes Up.</summary>
    [DbContext(typeof(CatalogContext))]
    [Migration("20261201000230_Safe_NewTable")]
    public partial class Safe_NewTable : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Suppliers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Code = table.Column<string>(type: "text", nullable: false),
                    CategoryId = table.Column<int>(type: "integer", nullable: false),
                });
            migrationBuilder.AddPrimaryKey(name: "PK_Suppliers", table: "Suppliers", column: "Id");
            migrationBuilder.AddColumn<int>(name: "Rating", table: "Suppliers", type: "integer", nullable: false);
            migrationBuilder.AddUniqueConstraint(name: "AK_Suppliers_Code", table: "Suppliers", column: "Code");
            migrationBuilder.AddCheckConstraint(name: "CK_Suppliers_Rating", table: "Suppliers", sql: "\"Rating\" BETWEEN 0 AND 5");
            migrationBuilder.AddForeignKey(name: "FK_Suppliers_Categories_CategoryId", table: "Suppliers", column: "CategoryId", principalTable: "Categories", principalColumn: "Id");
            migrationBuilder.CreateIndex(name: "IX_Suppliers_Name", table: "Suppliers", column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "Suppliers");
        }
    }
}
