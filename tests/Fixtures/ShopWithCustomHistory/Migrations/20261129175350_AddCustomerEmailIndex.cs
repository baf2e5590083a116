using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShopWithCustomHistory.Migrations
{
    /// <inheritdoc />
    public partial class AddCustomerEmailIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Customers_Email",
                schema: "shop",
                table: "Customers",
                column: "Email");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Customers_Email",
                schema: "shop",
                table: "Customers");
        }
    }
}
