using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    // Fills Products.Colour, then makes it required: the Sql(...) must run between the two schema
    // operations, so a squash made of the differ's operations followed by the custom ones cannot hold it.
    /// <inheritdoc />
    public partial class MakeProductColourRequired : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"Products\" SET \"Colour\" = 'unknown' WHERE \"Colour\" IS NULL;");

            migrationBuilder.AlterColumn<string>(
                name: "Colour",
                table: "Products",
                type: "text",
                nullable: false,
                defaultValue: "",
                oldClrType: typeof(string),
                oldType: "text",
                oldNullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Colour",
                table: "Products",
                type: "text",
                nullable: true,
                oldClrType: typeof(string),
                oldType: "text");
        }
    }
}
