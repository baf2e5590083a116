using EfSafeMigrate.Design.Conflicts;
using EfSafeMigrate.Footprint;
using EfSafeMigrate.Integrity;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.IntegrationTests.Conflicts;

/// <summary>
/// Reading a migration's <c>Up</c> as syntax (<see cref="MigrationSyntaxReader"/>) and comparing two branches' new
/// migrations with it (<see cref="SemanticConflictFinder"/>): no build, no database; pure functions over source text.
/// </summary>
public sealed class MigrationSyntaxReaderTests
{
    private const string Path = "Shop/Migrations/20260101000000_Change.cs";

    [Fact]
    public void Named_arguments_in_any_order_give_the_operation_EF_Core_builds()
    {
        var syntax = Read("""
            migrationBuilder.AddColumn<string>(
                table: "Members",
                name: "DisplayName",
                type: "text",
                nullable: true);

            migrationBuilder.RenameColumn(name: "FullName", table: "Customers", newName: "Name", schema: "shop");
            """);

        Assert.Empty(syntax.Skipped);
        Assert.Equal(2, syntax.Operations.Count);
        var add = Assert.IsType<AddColumnOperation>(syntax.Operations[0].Operation);
        Assert.Equal(("Members", "DisplayName", null, "text"), (add.Table, add.Name, add.Schema, add.ColumnType));
        Assert.Equal(13, syntax.Operations[0].Line);
        Assert.Equal($"{Path}:13", syntax.Operations[0].Location);
        var rename = Assert.IsType<RenameColumnOperation>(syntax.Operations[1].Operation);
        Assert.Equal(("Customers", "FullName", "Name", "shop"), (rename.Table, rename.Name, rename.NewName, rename.Schema));
        Assert.Equal(19, syntax.Operations[1].Line);
    }

    [Fact]
    public void Positional_arguments_take_the_names_of_MigrationBuilder_parameters()
    {
        var syntax = Read("""
            migrationBuilder.DropColumn("Nickname", "Members");
            migrationBuilder.RenameTable("Members", null, "People");
            migrationBuilder.CreateIndex("IX_Members_Email", "Members", "Email", unique: true);
            migrationBuilder.CreateIndex("IX_Members_Name", "Members", new[] { "First", "Last" });
            migrationBuilder.AddForeignKey("FK_Orders_Members", "Orders", "MemberId", principalTable: "Members", principalColumn: "Id");
            migrationBuilder.DropTable("Legacy");
            """);

        Assert.Empty(syntax.Skipped);
        var drop = Assert.IsType<DropColumnOperation>(syntax.Operations[0].Operation);
        Assert.Equal(("Members", "Nickname"), (drop.Table, drop.Name));
        var renameTable = Assert.IsType<RenameTableOperation>(syntax.Operations[1].Operation);
        Assert.Equal(("Members", null, "People"), (renameTable.Name, renameTable.Schema, renameTable.NewName));
        var unique = Assert.IsType<CreateIndexOperation>(syntax.Operations[2].Operation);
        Assert.Equal(("IX_Members_Email", "Members", true), (unique.Name, unique.Table, unique.IsUnique));
        Assert.Equal(["Email"], unique.Columns);
        Assert.Equal(["First", "Last"], Assert.IsType<CreateIndexOperation>(syntax.Operations[3].Operation).Columns);
        var foreignKey = Assert.IsType<AddForeignKeyOperation>(syntax.Operations[4].Operation);
        Assert.Equal(("Orders", "Members", "MemberId", "Id"), (foreignKey.Table, foreignKey.PrincipalTable, foreignKey.Columns.Single(), foreignKey.PrincipalColumns!.Single()));
        Assert.Equal("Legacy", Assert.IsType<DropTableOperation>(syntax.Operations[5].Operation).Name);
    }

    [Fact]
    public void Sql_strings_are_read_whole_whatever_the_literal_form()
    {
        var syntax = Read(""""
            migrationBuilder.Sql("UPDATE \"Members\" SET \"DisplayName\" = \"FullName\";");
            migrationBuilder.Sql(@"UPDATE ""Orders"" SET ""Note"" = '';");
            migrationBuilder.Sql("""
                DELETE FROM "Tags";
                """);
            migrationBuilder.Sql("UPDATE \"Carts\" " + "SET \"Total\" = 0;");
            migrationBuilder.Sql($"UPDATE \"Wishes\" SET \"At\" = {DateTime.UtcNow};");
            """");

        Assert.Empty(syntax.Skipped);
        var sql = syntax.Operations.Select(o => Assert.IsType<SqlOperation>(o.Operation).Sql).ToList();
        Assert.Equal("UPDATE \"Members\" SET \"DisplayName\" = \"FullName\";", sql[0]);
        Assert.Equal("UPDATE \"Orders\" SET \"Note\" = '';", sql[1]);
        Assert.Equal("DELETE FROM \"Tags\";", sql[2]);
        Assert.Equal("UPDATE \"Carts\" SET \"Total\" = 0;", sql[3]);
        Assert.StartsWith("UPDATE \"Wishes\" SET \"At\" = ", sql[4]);
        Assert.True(OperationFootprint.Of(syntax.Operations[0].Operation).MentionsColumn("Members", "DisplayName"));
    }

    [Fact]
    public void Create_table_gives_its_columns_and_the_tables_its_foreign_keys_need()
    {
        var syntax = Read("""
            migrationBuilder.CreateTable(
                name: "Orders",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    MemberId = table.Column<int>(name: "member_id", type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Orders", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Orders_Members_member_id",
                        column: x => x.MemberId,
                        principalTable: "Members",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });
            """);

        var create = Assert.IsType<CreateTableOperation>(Assert.Single(syntax.Operations).Operation);
        Assert.Equal(["Id", "member_id"], create.Columns.Select(c => c.Name));
        Assert.Equal("Members", Assert.Single(create.ForeignKeys).PrincipalTable);
        Assert.Contains(OperationFootprint.Of(create).Touches, t => t.Object == SchemaObject.ForTable(null, "Members") && !t.Changes);
    }

    [Fact]
    public void Calls_that_cannot_be_read_are_named_and_the_designer_and_Down_give_nothing()
    {
        var syntax = Read("""
            var table = "Members";
            migrationBuilder.AddColumn<int>(name: "Age", table: table);
            """, down: """migrationBuilder.DropTable(name: "Members");""");

        Assert.Empty(syntax.Operations);
        Assert.Equal([$"AddColumn ({Path}:14)"], syntax.Skipped);
        Assert.Empty(MigrationSyntaxReader.Read("x.Designer.cs", """
            [DbContext(typeof(ShopContext))]
            [Migration("20260101000000_Change")]
            partial class Change { protected override void BuildTargetModel(ModelBuilder modelBuilder) { } }
            """).Operations);
    }

    [Fact]
    public void Both_sides_touching_one_column_conflict_with_both_places_and_other_columns_do_not()
    {
        var ours = Migration("20260102000000_AddDisplayName", """
            migrationBuilder.AddColumn<string>(name: "DisplayName", table: "Members", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Bio", table: "Members", nullable: true);
            """);
        var theirs = Migration("20260103000000_RenameFullName", """migrationBuilder.RenameColumn("FullName", "Members", "DisplayName");""");
        var unrelated = Migration("20260103000000_AddAge", """migrationBuilder.AddColumn<int>("Age", "Members", nullable: true);""");

        var (conflicts, skipped) = SemanticConflictFinder.Find([ours], [theirs]);

        Assert.Empty(skipped);
        var conflict = Assert.Single(conflicts);
        Assert.Equal([SchemaObject.ForColumn(null, "Members", "DisplayName")], conflict.Objects);
        Assert.Equal(("20260102000000_AddDisplayName", "20260103000000_RenameFullName"), (conflict.Shared.MigrationA, conflict.Shared.MigrationB));
        Assert.Equal("Shop/Migrations/20260102000000_AddDisplayName.cs:13", conflict.Ours.Location);
        Assert.Equal("Shop/Migrations/20260103000000_RenameFullName.cs:13", conflict.Theirs.Location);
        Assert.Empty(SemanticConflictFinder.Find([ours], [unrelated]).Conflicts);
    }

    [Fact]
    public void A_rename_on_one_side_conflicts_with_sql_that_uses_the_old_name_on_the_other()
    {
        var ours = Migration("20260102000000_Backfill", """migrationBuilder.Sql("UPDATE \"Members\" SET \"FullName\" = trim(\"FullName\");");""");
        var theirs = Migration("20260103000000_Rename", """migrationBuilder.RenameColumn(name: "FullName", table: "Members", newName: "Name");""");

        var conflict = Assert.Single(SemanticConflictFinder.Find([ours], [theirs]).Conflicts);

        // The SQL mentions the table, so the new name counts as used too (over-approximated on purpose).
        Assert.Equal([SchemaObject.ForColumn(null, "Members", "FullName"), SchemaObject.ForColumn(null, "Members", "Name")], conflict.Objects);
        Assert.IsType<SqlOperation>(conflict.Ours.Operation);
        Assert.IsType<RenameColumnOperation>(conflict.Theirs.Operation);
    }

    private static MigrationSyntax Read(string up, string down = "")
        => MigrationSyntaxReader.Read(Path, Source(up, down));

    private static MigrationText Migration(string id, string up)
        => new(id, [new SourceFile($"Shop/Migrations/{id}.cs", Source(up, string.Empty))]);

    // A migration file as 'dotnet ef migrations add' writes it; the Up body starts on line 13.
    private static string Source(string up, string down) => $$"""
        using Microsoft.EntityFrameworkCore.Migrations;

        #nullable disable

        namespace Shop.Migrations
        {
            /// <inheritdoc />
            public partial class Change : Migration
            {
                /// <inheritdoc />
                protected override void Up(MigrationBuilder migrationBuilder)
                {
        {{up}}
                }

                /// <inheritdoc />
                protected override void Down(MigrationBuilder migrationBuilder)
                {
        {{down}}
                }
            }
        }
        """;
}
