using EfSafeMigrate.Footprint;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tests.Footprint;

public class OperationFootprintTests
{
    [Fact]
    public void Sql_mentions_quoted_bare_and_literal_words_case_insensitively()
    {
        var footprint = OperationFootprint.Of(new SqlOperation { Sql = """UPDATE "Order Items" SET price = 0 WHERE note = 'Légacy'; -- categorías""" });

        Assert.Empty(footprint.Touches);
        Assert.True(footprint.MentionsTable("Order Items"));
        Assert.True(footprint.MentionsColumn("order items", "PRICE"));
        Assert.True(footprint.MentionsTable("Légacy"));
        Assert.True(footprint.MentionsTable("categorías"));
        Assert.False(footprint.MentionsTable("Orders"));
        Assert.False(footprint.InsertsInto("Order Items"));
        Assert.True(OperationFootprint.Of(new SqlOperation { Sql = """COPY "Users" FROM STDIN;""" }).InsertsInto("Users"));
    }

    [Fact]
    public void Sql_mentions_an_object_by_its_table_or_its_own_name()
    {
        var footprint = OperationFootprint.Of(new SqlOperation { Sql = """DROP INDEX "IX_Products_Sku";""" });

        Assert.True(footprint.Mentions(new SchemaObject(SchemaObjectKind.Index, null, "Other", "IX_Products_Sku")));
        Assert.False(footprint.Mentions(SchemaObject.ForTable(null, "Products")));
        Assert.True(footprint.Mentions(SchemaObject.ForColumn(null, "ix_products_sku", "Id")));
    }

    [Fact]
    public void Data_operations_use_their_table_and_columns_only()
    {
        var insert = OperationFootprint.Of(new InsertDataOperation { Table = "Categories", Columns = ["Name"], Values = new object?[,] { { "Books" } } });

        Assert.True(insert.MentionsTable("Categories"));
        Assert.True(insert.MentionsColumn("Categories", "Name"));
        Assert.False(insert.MentionsColumn("Categories", "Slug"));
        Assert.True(insert.InsertsInto("Categories"));
        Assert.False(OperationFootprint.Of(new DeleteDataOperation { Table = "Categories", KeyColumns = ["Id"], KeyValues = new object?[,] { { 1 } } }).InsertsInto("Categories"));
        Assert.Equal(SchemaObject.ForTable(null, "Categories"), insert.Table);
    }

    [Fact]
    public void Schema_operations_change_their_object_and_rely_on_its_table()
    {
        var rename = OperationFootprint.Of(new RenameColumnOperation { Schema = "shop", Table = "Users", Name = "Mail", NewName = "Email" });

        Assert.Equal(
            [
                new ObjectTouch(SchemaObject.ForColumn("shop", "Users", "Mail"), true),
                new ObjectTouch(SchemaObject.ForColumn("shop", "Users", "Email"), true),
                new ObjectTouch(SchemaObject.ForTable("shop", "Users"), false),
            ],
            rename.Touches);
        Assert.Equal(SchemaObject.ForTable("shop", "Users"), rename.Table);
        Assert.Null(OperationFootprint.Of(new DropIndexOperation { Name = "IX_Loose" }).Table);
        Assert.True(OperationFootprint.Of(new RestartSequenceOperation { Name = "OrderNumbers" }).MentionsTable("OrderNumbers"));
        Assert.Empty(OperationFootprint.Of(new EnsureSchemaOperation { Name = "shop" }).Touches);
    }
}
