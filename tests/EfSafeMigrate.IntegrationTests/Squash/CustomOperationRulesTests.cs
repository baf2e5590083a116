using EfSafeMigrate.Design.Squash;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary>
/// When a custom operation may move behind the schema operations (Up) or ahead of them (Down), how
/// SQL is read, which data operations are custom, and the drops the original migrations never did.
/// </summary>
public sealed class CustomOperationRulesTests
{
    private static readonly SqlOperation Seed = new() { Sql = """INSERT INTO "Categories" ("Name") VALUES ('Books');""" };

    [Fact]
    public void Sql_conflicts_with_a_later_rename_or_drop_of_what_it_uses()
    {
        var seed = OperationFootprint.Of(Seed);

        Assert.Contains("renames to Title", CustomOperationRules.UpConflict(seed, new RenameColumnOperation { Table = "Categories", Name = "Name", NewName = "Title" }));
        Assert.Contains("drops", CustomOperationRules.UpConflict(seed, new DropTableOperation { Name = "Categories" }));
        Assert.Contains("renames to Genres", CustomOperationRules.UpConflict(seed, new RenameTableOperation { Name = "Categories", NewName = "Genres" }));
        Assert.Contains("drops", CustomOperationRules.UpConflict(seed, new DropColumnOperation { Table = "Categories", Name = "Name" }));
    }

    [Fact]
    public void Sql_does_not_conflict_with_later_changes_to_other_tables_or_columns()
    {
        var seed = OperationFootprint.Of(Seed);

        Assert.Null(CustomOperationRules.UpConflict(seed, new DropColumnOperation { Table = "Products", Name = "LegacyCode" }));
        Assert.Null(CustomOperationRules.UpConflict(seed, new RenameColumnOperation { Table = "Customers", Name = "Name", NewName = "FullName" }));
        Assert.Null(CustomOperationRules.UpConflict(seed, new CreateTableOperation { Name = "Orders" }));
        Assert.Null(CustomOperationRules.UpConflict(seed, new AddColumnOperation { Table = "Categories", Name = "Note", ClrType = typeof(string), IsNullable = true }));
    }

    [Fact]
    public void An_insert_conflicts_with_a_later_required_column_of_its_table()
    {
        var required = new AddColumnOperation { Table = "Categories", Name = "Slug", ClrType = typeof(string), IsNullable = false, DefaultValue = "" };

        Assert.Contains("required column Categories.Slug", CustomOperationRules.UpConflict(OperationFootprint.Of(Seed), required));
        Assert.Null(CustomOperationRules.UpConflict(OperationFootprint.Of(new SqlOperation { Sql = """UPDATE "Categories" SET "Name" = 'x';""" }), required));
    }

    [Fact]
    public void A_type_change_of_a_used_column_conflicts_but_an_annotation_change_does_not()
    {
        var seed = OperationFootprint.Of(Seed);
        var retyped = new AlterColumnOperation
        {
            Table = "Categories", Name = "Name", ClrType = typeof(int), ColumnType = "integer",
            OldColumn = new AddColumnOperation { Table = "Categories", Name = "Name", ClrType = typeof(string), ColumnType = "character varying(100)" },
        };
        var same = new AlterColumnOperation
        {
            Table = "Categories", Name = "Name", ClrType = typeof(string), ColumnType = "character varying(100)", IsNullable = true,
            OldColumn = new AddColumnOperation { Table = "Categories", Name = "Name", ClrType = typeof(string), ColumnType = "character varying(100)", IsNullable = true },
        };

        Assert.Contains("type or nullability", CustomOperationRules.UpConflict(seed, retyped));
        Assert.Null(CustomOperationRules.UpConflict(seed, same));
    }

    [Fact]
    public void A_down_operation_conflicts_with_what_an_earlier_down_operation_creates_or_renames_back()
    {
        var delete = OperationFootprint.Of(new SqlOperation { Sql = """DELETE FROM "Categories" WHERE "Name" = 'Books';""" });

        Assert.Contains("gives its name", CustomOperationRules.DownConflict(delete, new RenameColumnOperation { Table = "Categories", Name = "Title", NewName = "Name" }));
        Assert.Contains("adds", CustomOperationRules.DownConflict(delete, new AddColumnOperation { Table = "Categories", Name = "Name", ClrType = typeof(string) }));
        Assert.Null(CustomOperationRules.DownConflict(delete, new DropTableOperation { Name = "Orders" }));
    }

    [Fact]
    public void Sql_creating_an_extension_or_type_is_noticed()
    {
        Assert.Equal("EXTENSION citext", OperationFootprint.Of(new SqlOperation { Sql = "CREATE EXTENSION IF NOT EXISTS citext;" }).CreatesDatabaseObject);
        Assert.Equal("TYPE \"mood\"", OperationFootprint.Of(new SqlOperation { Sql = "create type \"mood\" as enum ('sad', 'ok');" }).CreatesDatabaseObject);
        Assert.Null(OperationFootprint.Of(Seed).CreatesDatabaseObject);
    }

    [Fact]
    public void Data_operations_the_differ_produced_are_schema_the_others_are_custom()
    {
        var seeded = new InsertDataOperation { Table = "Categories", Columns = ["Id", "Name"], Values = new object?[,] { { 100, "Seeded" } } };
        var manual = new InsertDataOperation { Table = "Categories", Columns = ["Id", "Name"], Values = new object?[,] { { 101, "Manual" } } };
        var differ = new InsertDataOperation { Table = "Categories", Columns = ["Id", "Name"], Values = new object?[,] { { 100L, "Seeded" } } };

        var custom = OperationClassifier.Custom("m", "Up", [manual, seeded, Seed, new CreateTableOperation { Name = "T" }], [differ]);

        Assert.Equal([0, 2], custom.Select(c => c.Index));
    }

    [Fact]
    public void An_operation_the_generator_cannot_write_is_refused()
    {
        var ex = Assert.Throws<SquashRefusedException>(() => OperationClassifier.Custom("20240101000000_M", "Up", [new OwnOperation()], []));

        Assert.Equal(SquashRefusalKind.Unsafe, ex.Kind);
        Assert.Contains("20240101000000_M", ex.Message);
        Assert.Contains(nameof(OwnOperation), ex.Message);
    }

    [Fact]
    public void A_drop_the_original_migrations_never_do_is_refused_naming_the_rename()
    {
        IReadOnlyList<(string, MigrationOperation)> original = [("20240101000000_Rename", new RenameColumnOperation { Table = "Customers", Name = "Name", NewName = "FullName" })];

        var ex = Assert.Throws<SquashRefusedException>(() => DataLossGuard.Check("Up", [new DropColumnOperation { Table = "Customers", Name = "Name" }], original));

        Assert.Contains("would drop column Customers.Name", ex.Message);
        Assert.Contains("'20240101000000_Rename' renames it", ex.Message);
    }

    [Fact]
    public void A_drop_the_original_migrations_do_after_renames_is_accepted()
    {
        IReadOnlyList<(string, MigrationOperation)> original =
        [
            ("a", new RenameTableOperation { Name = "Legacy", NewName = "Old" }),
            ("b", new RenameColumnOperation { Table = "Old", Name = "Code", NewName = "OldCode" }),
            ("c", new DropColumnOperation { Table = "Old", Name = "OldCode" }),
            ("d", new DropTableOperation { Name = "Old" }),
        ];

        DataLossGuard.Check("Up", [new DropColumnOperation { Table = "Legacy", Name = "Code" }, new DropTableOperation { Name = "Legacy" }], original);
    }

    private sealed class OwnOperation : MigrationOperation;
}
