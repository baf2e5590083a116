using EfSafeMigrate.Footprint;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tests.Footprint;

public class OperationSignatureTests
{
    private static AlterColumnOperation AlterPrice(string type, bool nullable = false, string? schema = null)
    {
        var b = new MigrationBuilder("Npgsql.EntityFrameworkCore.PostgreSQL");
        b.AlterColumn<decimal>("Price", "Products", type: type, nullable: nullable, schema: schema, oldClrType: typeof(decimal), oldType: "numeric(10,2)");
        return (AlterColumnOperation)b.Operations[0];
    }

    [Fact]
    public void Two_AlterColumn_on_one_column_with_different_types_are_different_changes()
    {
        Assert.NotEqual(OperationSignature.Of(AlterPrice("numeric(12,2)")), OperationSignature.Of(AlterPrice("numeric(18,4)")));
    }

    [Fact]
    public void The_same_AlterColumn_is_the_same_change()
    {
        Assert.Equal(OperationSignature.Of(AlterPrice("numeric(12,2)")), OperationSignature.Of(AlterPrice("NUMERIC(12,2)")));
    }

    [Fact]
    public void Nullability_and_schema_tell_changes_to_one_column_apart()
    {
        Assert.NotEqual(OperationSignature.Of(AlterPrice("numeric(12,2)", nullable: false)), OperationSignature.Of(AlterPrice("numeric(12,2)", nullable: true)));
        Assert.NotEqual(OperationSignature.Of(AlterPrice("numeric(12,2)", schema: "shop")), OperationSignature.Of(AlterPrice("numeric(12,2)")));
    }

    [Fact]
    public void Except_cancels_equal_changes_one_for_one_and_keeps_different_ones()
    {
        var fromCode = new MigrationOperation[] { AlterPrice("numeric(12,2)"), new AddColumnOperation { Table = "Products", Name = "Sku", ClrType = typeof(string), ColumnType = "text" } };
        var fromDiffer = new MigrationOperation[] { AlterPrice("numeric(18,4)"), new AddColumnOperation { Table = "Products", Name = "Sku", ClrType = typeof(string), ColumnType = "text" } };

        var left = OperationSignature.Except(fromCode, fromDiffer);

        Assert.Same(fromCode[0], Assert.Single(left));
        Assert.Empty(OperationSignature.Except(fromCode, fromCode));
        Assert.Same(fromCode[1], Assert.Single(OperationSignature.Intersect(fromCode, fromDiffer)));
    }

    [Fact]
    public void Renames_and_indexes_keep_what_their_summaries_named()
    {
        Assert.NotEqual(
            OperationSignature.Of(new RenameColumnOperation { Table = "Users", Name = "Mail", NewName = "Email" }),
            OperationSignature.Of(new RenameColumnOperation { Table = "Users", Name = "Mail", NewName = "EmailAddress" }));
        Assert.NotEqual(
            OperationSignature.Of(new CreateIndexOperation { Table = "Users", Name = "IX_Users_Email", Columns = ["Email"], IsUnique = true }),
            OperationSignature.Of(new CreateIndexOperation { Table = "Users", Name = "IX_Users_Email", Columns = ["Email"] }));
    }
}
