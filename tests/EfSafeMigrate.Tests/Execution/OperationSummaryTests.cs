using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tests.Execution;

public class OperationSummaryTests
{
    [Fact]
    public void Describe_returns_no_operations_for_empty_list()
    {
        Assert.Equal("no operations", OperationSummary.Describe([]));
    }

    [Fact]
    public void Describe_summarises_operations_in_order()
    {
        MigrationOperation[] operations =
        [
            new CreateTableOperation { Name = "Products" },
            new AddColumnOperation { Table = "Products", Name = "Sku", ClrType = typeof(string) },
            new CreateIndexOperation { Name = "IX_Products_Sku", Table = "Products", Columns = ["Sku"], IsUnique = true },
            new SqlOperation { Sql = "UPDATE \"Products\" SET \"Sku\" = ''" },
            new SqlOperation { Sql = "UPDATE \"Products\" SET \"Price\" = 0" },
        ];

        Assert.Equal(
            "create table Products, add column Products.Sku, create unique index IX_Products_Sku, sql (2 statements)",
            OperationSummary.Describe(operations));
    }

    [Fact]
    public void Describe_counts_single_sql_operation_as_sql()
    {
        Assert.Equal("sql", OperationSummary.Describe([new SqlOperation { Sql = "SELECT 1" }]));
    }

    [Fact]
    public void Describe_counts_several_sql_operations_as_statements()
    {
        MigrationOperation[] operations =
        [
            new SqlOperation { Sql = "SELECT 1" },
            new SqlOperation { Sql = "SELECT 2" },
            new SqlOperation { Sql = "SELECT 3" },
        ];

        Assert.Equal("sql (3 statements)", OperationSummary.Describe(operations));
    }

    [Fact]
    public void Describe_puts_sql_count_after_the_other_operations()
    {
        MigrationOperation[] operations =
        [
            new SqlOperation { Sql = "SELECT 1" },
            new DropTableOperation { Name = "Legacy" },
            new SqlOperation { Sql = "SELECT 2" },
        ];

        Assert.Equal("drop table Legacy, sql (2 statements)", OperationSummary.Describe(operations));
    }

    [Fact]
    public void Describe_names_renames_with_arrow()
    {
        MigrationOperation[] operations =
        [
            new RenameTableOperation { Name = "Product", NewName = "Products" },
            new RenameColumnOperation { Table = "Products", Name = "Code", NewName = "Sku" },
            new RenameIndexOperation { Table = "Products", Name = "IX_Old", NewName = "IX_New" },
        ];

        Assert.Equal(
            "rename table Product → Products, rename column Products.Code → Sku, rename index IX_Old → IX_New",
            OperationSummary.Describe(operations));
    }

    [Fact]
    public void Describe_names_column_key_and_data_operations()
    {
        MigrationOperation[] operations =
        [
            new AlterColumnOperation { Table = "Products", Name = "Price", ClrType = typeof(decimal) },
            new DropColumnOperation { Table = "Products", Name = "Legacy" },
            new CreateIndexOperation { Name = "IX_Products_Name", Table = "Products", Columns = ["Name"] },
            new DropIndexOperation { Name = "IX_Old" },
            new AddForeignKeyOperation { Name = "FK_Orders_Products", Table = "Orders", Columns = ["ProductId"], PrincipalTable = "Products" },
            new DropForeignKeyOperation { Name = "FK_Old", Table = "Orders" },
            new AddPrimaryKeyOperation { Name = "PK_Products", Table = "Products", Columns = ["Id"] },
            new DropPrimaryKeyOperation { Name = "PK_Old", Table = "Products" },
            new AddUniqueConstraintOperation { Name = "AK_Products_Sku", Table = "Products", Columns = ["Sku"] },
            new DropUniqueConstraintOperation { Name = "AK_Old", Table = "Products" },
            new InsertDataOperation { Table = "Products", Columns = ["Id"], Values = new object?[,] { { 1 } } },
            new UpdateDataOperation { Table = "Products", KeyColumns = ["Id"], KeyValues = new object?[,] { { 1 } }, Columns = ["Sku"], Values = new object?[,] { { "x" } } },
            new DeleteDataOperation { Table = "Products", KeyColumns = ["Id"], KeyValues = new object?[,] { { 1 } } },
            new EnsureSchemaOperation { Name = "shop" },
        ];

        Assert.Equal(
            "alter column Products.Price, drop column Products.Legacy, create index IX_Products_Name, drop index IX_Old, "
            + "add foreign key FK_Orders_Products, drop foreign key FK_Old, add primary key PK_Products, drop primary key PK_Old, "
            + "add unique constraint AK_Products_Sku, drop unique constraint AK_Old, insert data into Products, "
            + "update data in Products, delete data from Products, ensure schema shop",
            OperationSummary.Describe(operations));
    }

    [Fact]
    public void Describe_humanizes_other_operation_type_names()
    {
        MigrationOperation[] operations =
        [
            new CreateSequenceOperation { Name = "OrderNumbers", ClrType = typeof(long) },
            new AlterDatabaseOperation(),
            new DropSchemaOperation { Name = "old" },
        ];

        Assert.Equal("create sequence, alter database, drop schema", OperationSummary.Describe(operations));
    }
}
