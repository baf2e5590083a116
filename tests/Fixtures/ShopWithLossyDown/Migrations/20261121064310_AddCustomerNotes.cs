using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>
    /// Hand-written migration (no designer file), after the sample's last migration, whose Down
    /// forgets half of its Up: the index IX_Products_Name stays after a revert.
    /// </summary>
    [DbContext(typeof(ShopContext))]
    [Migration("20261121064310_AddCustomerNotes")]
    public partial class AddCustomerNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Notes", table: "Customers", type: "text", nullable: true);
            migrationBuilder.CreateIndex(name: "IX_Products_Name", table: "Products", column: "Name");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "Notes", table: "Customers");
        }
    }
}
