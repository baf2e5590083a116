using EfSafeMigrate.Design.Merge;
using EfSafeMigrate.Design.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.IntegrationTests.Merge;

/// <summary>
/// Where <c>merge --rebase</c> puts the moved migration's custom operations in the recomputed Up and Down, and when
/// it refuses (<see cref="RebasedOperations"/>).
/// </summary>
public sealed class RebasedOperationsTests
{
    private const string Moved = "20260101000000_Moved";
    private static readonly CreateTableOperation CreateTags = new() { Name = "Tags" };
    private static readonly DropTableOperation DropTags = new() { Name = "Tags" };
    private static readonly AddColumnOperation AddNote = new() { Table = "Orders", Name = "Note", ClrType = typeof(string), IsNullable = true };
    private static readonly DropColumnOperation DropNote = new() { Table = "Orders", Name = "Note" };
    private static readonly SqlOperation SeedTags = new() { Sql = """INSERT INTO "Tags" ("Id") VALUES (1);""" };
    private static readonly SqlOperation UnseedTags = new() { Sql = """DELETE FROM "Tags";""" };

    [Fact]
    public void A_custom_operation_stays_right_after_the_operation_it_followed()
    {
        var moved = Migration([CreateTags, SeedTags, AddNote], [UnseedTags, DropNote, DropTags]);
        var rename = new RenameColumnOperation { Table = "Customers", Name = "FullName", NewName = "DisplayName" };

        var (up, down, kept) = RebasedOperations.Plan(moved, [CreateTags, AddNote], [DropNote, DropTags], [CreateTags, AddNote], [DropNote, DropTags],
            [("20260102000000_Other", [rename])]);

        Assert.Equal<MigrationOperation>([CreateTags, SeedTags, AddNote], up);
        Assert.Equal<MigrationOperation>([UnseedTags, DropNote, DropTags], down);
        Assert.Equal(["20260101000000_Moved Up operation 2 (sql \"INSERT INTO \"Tags\" (\"Id\") VALUES (1);\")", "20260101000000_Moved Down operation 1 (sql \"DELETE FROM \"Tags\";\")"],
            kept.Select(k => k.ToString()));
    }

    [Fact]
    public void A_custom_operation_whose_predecessor_the_differ_no_longer_produces_goes_after_the_schema_operations_in_order()
    {
        var renameToName = new RenameColumnOperation { Table = "Customers", Name = "FullName", NewName = "Name" };
        var fromOther = new RenameColumnOperation { Table = "Customers", Name = "DisplayName", NewName = "Name" };
        var trim = new SqlOperation { Sql = """UPDATE "Customers" SET "Name" = btrim("Name");""" };
        var lower = new SqlOperation { Sql = """UPDATE "Customers" SET "Name" = lower("Name");""" };
        var moved = Migration([renameToName, trim, lower], [new RenameColumnOperation { Table = "Customers", Name = "Name", NewName = "FullName" }]);
        var back = new RenameColumnOperation { Table = "Customers", Name = "Name", NewName = "DisplayName" };

        var (up, down, _) = RebasedOperations.Plan(moved, [renameToName], moved.Down, [fromOther, AddNote], [DropNote, back],
            [("20260102000000_Other", [new RenameColumnOperation { Table = "Customers", Name = "FullName", NewName = "DisplayName" }])]);

        Assert.Equal<MigrationOperation>([fromOther, AddNote, trim, lower], up);
        Assert.Equal<MigrationOperation>([DropNote, back], down);
    }

    [Fact]
    public void A_custom_operation_using_what_the_other_branch_renamed_is_refused_naming_both()
    {
        var trim = new SqlOperation { Sql = """UPDATE "Customers" SET "FullName" = btrim("FullName");""" };
        var renameToName = new RenameColumnOperation { Table = "Customers", Name = "FullName", NewName = "Name" };
        var moved = Migration([trim, renameToName], []);

        var refused = Assert.Throws<MergeRefusedException>(() => RebasedOperations.Plan(moved, [renameToName], [], [renameToName], [],
            [("20260102000000_Other", [new RenameColumnOperation { Table = "Customers", Name = "FullName", NewName = "DisplayName" }])]));

        Assert.Equal(MergeRefusal.Conflict, refused.Refusal);
        Assert.Contains($"{Moved} Up operation 1 (sql", refused.Message);
        Assert.Contains("Customers.FullName", refused.Message);
        Assert.Contains("20260102000000_Other Up operation 1", refused.Message);
        Assert.Contains("Nothing was changed", refused.Message);
    }

    [Fact]
    public void A_hand_written_schema_operation_is_refused_naming_it()
    {
        var index = new CreateIndexOperation { Name = "IX_Tags_Id", Table = "Tags", Columns = ["Id"] };
        var moved = Migration([CreateTags, index], [DropTags]);

        var refused = Assert.Throws<MergeRefusedException>(() => RebasedOperations.Plan(moved, [CreateTags], [DropTags], [CreateTags], [DropTags], []));

        Assert.Contains($"{Moved} Up operation 2", refused.Message);
        Assert.Contains("written by hand", refused.Message);
    }

    private static RangeMigration Migration(IReadOnlyList<MigrationOperation> up, IReadOnlyList<MigrationOperation> down)
        => new(Moved, up, down, new ModelBuilder().FinalizeModel());
}
