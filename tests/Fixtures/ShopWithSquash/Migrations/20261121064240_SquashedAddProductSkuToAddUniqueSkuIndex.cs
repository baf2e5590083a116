using EfSafeMigrate;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>
    /// Hand-written squashed migration: the net effect of 20261121064223_AddProductSku,
    /// 20261121064229_RenameCustomerName and 20261121064240_AddUniqueSkuIndex (nullable Products.Sku
    /// varchar(32), Customers.Name renamed to FullName, unique index IX_Products_Sku). Its target model
    /// (designer) is AddUniqueSkuIndex's.
    /// </summary>
    [Replaces(
        "20261121064223_AddProductSku",
        "20261121064229_RenameCustomerName",
        "20261121064240_AddUniqueSkuIndex")]
    public partial class SquashedAddProductSkuToAddUniqueSkuIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Sku",
                table: "Products",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.RenameColumn(
                name: "Name",
                table: "Customers",
                newName: "FullName");

            migrationBuilder.CreateIndex(
                name: "IX_Products_Sku",
                table: "Products",
                column: "Sku",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Products_Sku",
                table: "Products");

            migrationBuilder.RenameColumn(
                name: "FullName",
                table: "Customers",
                newName: "Name");

            migrationBuilder.DropColumn(
                name: "Sku",
                table: "Products");
        }
    }
}
