using EfSafeMigrate.Lint;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tests.Lint;

public class OperationLocksTests
{
    [Fact]
    public void Describes_lock_rewrite_and_scan_per_operation_and_marks_new_tables()
    {
        var b = new MigrationBuilder(LintTestMigrations.Provider);
        b.AlterColumn<long>("Quantity", "Items", type: "bigint", nullable: false, oldClrType: typeof(int), oldType: "integer");
        b.AlterColumn<string>("Name", "Items", type: "text", nullable: true, oldClrType: typeof(string), oldType: "character varying(200)", oldNullable: true);
        b.CreateIndex("IX_Items_Code", "Items", "Code").Annotation("Npgsql:CreatedConcurrently", true);
        b.AddForeignKey("FK", "Items", "OtherId", "Other");
        LintTestMigrations.Items(b);
        b.Sql("UPDATE \"Items\" SET \"Quantity\" = 0; VACUUM FULL \"Items\";");

        var locks = OperationLocks.Describe(b.Operations);

        Assert.Equal((LockModes.AccessExclusive, true, true), (locks[0].Lock, locks[0].RewritesTable, locks[0].ScansTable));
        Assert.Equal((LockModes.AccessExclusive, false, false), (locks[1].Lock, locks[1].RewritesTable, locks[1].ScansTable)); // varchar -> text: catalog only
        Assert.Equal(LockModes.ShareUpdateExclusive, locks[2].Lock);
        Assert.Equal(LockModes.ShareRowExclusive, locks[3].Lock);
        Assert.False(locks[4].NewTable);
        Assert.Equal((LockModes.AccessExclusive, true, true), (locks[5].Lock, locks[5].RewritesTable, locks[5].NewTable));
    }
}
