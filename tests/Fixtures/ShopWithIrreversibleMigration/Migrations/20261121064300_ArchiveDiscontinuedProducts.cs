using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    /// <summary>
    /// Hand-written irreversible migration (no designer file), after the sample's last migration:
    /// Up deletes data that Down cannot bring back, so Down throws, as EF Core's documentation
    /// suggests for migrations that cannot be reverted.
    /// </summary>
    [DbContext(typeof(ShopContext))]
    [Migration("20261121064300_ArchiveDiscontinuedProducts")]
    public partial class ArchiveDiscontinuedProducts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM \"OrderLines\" WHERE \"Quantity\" = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            throw new NotSupportedException("Deleted order lines cannot be restored by a migration.");
        }
    }
}
