using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Stock.Migrations
{
    /// <inheritdoc />
    public partial class AddQuantityIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // safe-migrate: allow SM501 Items is append-only and reindexed in the nightly window; reviewed by the DBA
            migrationBuilder.CreateIndex(
                name: "IX_Items_Quantity",
                table: "Items",
                column: "Quantity");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Items_Quantity",
                table: "Items");
        }
    }
}
