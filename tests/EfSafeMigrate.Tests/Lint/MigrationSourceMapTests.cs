using EfSafeMigrate.Lint;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tests.Lint;

public class MigrationSourceMapTests
{
    [Fact]
    public void Calls_inside_strings_and_comments_are_not_operations()
    {
        const string source = """"
            public partial class X : Migration
            {
                protected override void Up(MigrationBuilder mb)
                {
                    // mb.DropTable("Commented");
                    mb.Sql(@"UPDATE ""T"" SET a = 'mb.DropColumn(' WHERE 1 = 1;");
                    mb.Sql("""
                        SELECT 'mb.CreateIndex(';
                        """);
                    mb.AddColumn<int>(name: "A", table: "T", nullable: true); /* mb.DropColumn( */
                }

                protected override void Down(MigrationBuilder mb) { mb.DropColumn(name: "A", table: "T"); }
            }
            """";
        var up = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        up.Sql("UPDATE");
        up.Sql("SELECT");
        up.AddColumn<int>("A", "T", nullable: true);
        var down = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        down.DropColumn("A", "T");

        var map = MigrationSourceMap.Parse("X.cs", source);

        Assert.Equal([6, 7, 10], map.LinesOf(up.Operations, down: false));
        Assert.Equal([13], map.LinesOf(down.Operations, down: true));
    }

    [Fact]
    public void Suppressions_need_a_code_and_keep_the_reason()
    {
        var map = MigrationSourceMap.Parse("X.cs", "// safe-migrate: allow SM501, sm520 small lookup table\n// safe-migrate: allow SM512\n");

        Assert.Equal(["SM501", "SM520"], map.Suppressions[0].Codes);
        Assert.Equal("small lookup table", map.Suppressions[0].Reason);
        Assert.Equal(string.Empty, map.Suppressions[1].Reason);
        Assert.NotNull(map.SuppressionFor(2, "SM520"));
        Assert.Null(map.SuppressionFor(3, "SM501"));
    }
}
