using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Migrations
{
    /// <inheritdoc />
    public partial class SeedCategories : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Deliberately without a closing semicolon: `dotnet ef migrations script` pastes the
            // next statement right after it, which reproduces a real-world EF Core bug.
            migrationBuilder.Sql("INSERT INTO \"Categories\" (\"Name\") VALUES ('Books'), ('Games')");
            migrationBuilder.Sql("INSERT INTO \"Categories\" (\"Name\") VALUES ('Music');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM \"Categories\" WHERE \"Name\" IN ('Books', 'Games', 'Music');");
        }
    }
}
