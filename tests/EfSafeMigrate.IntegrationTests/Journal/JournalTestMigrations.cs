using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>Ids of the hand-written migrations of <see cref="JournalTestContext"/>, oldest first.</summary>
internal static class JournalTestMigrations
{
    public const string CreateNotes = "20250101000000_CreateNotes";
    public const string AddNoteTitle = "20250102000000_AddNoteTitle";
}

[DbContext(typeof(JournalTestContext))]
[Migration(JournalTestMigrations.CreateNotes)]
internal sealed class CreateNotesMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.CreateTable(
            name: "notes",
            columns: table => new
            {
                id = table.Column<int>(type: "integer", nullable: false),
                text = table.Column<string>(type: "text", nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_notes", x => x.id));

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "notes");
}

[DbContext(typeof(JournalTestContext))]
[Migration(JournalTestMigrations.AddNoteTitle)]
internal sealed class AddNoteTitleMigration : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
        => migrationBuilder.AddColumn<string>(name: "title", table: "notes", type: "text", nullable: true);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropColumn(name: "title", table: "notes");
}
