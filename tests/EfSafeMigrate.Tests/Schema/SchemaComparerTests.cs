using EfSafeMigrate.Schema;

namespace EfSafeMigrate.Tests.Schema;

public class SchemaComparerTests
{
    private const string HistoryTable = "__EFMigrationsHistory";

    private static readonly string[] IgnoredTables = [HistoryTable];

    private static SchemaTable Products(params TableColumn[] columns) => new("public", "Products", columns);

    private static readonly TableColumn Id = new("Id", "integer", false);
    private static readonly TableColumn Name = new("Name", "text", false);
    private static readonly TableColumn Sku = new("Sku", "character varying(64)", true);

    private static IReadOnlyList<SchemaDifference> Compare(SchemaTable[] expected, SchemaTable[] live, bool exact = false)
        => SchemaComparer.Compare(expected, live, IgnoredTables, exact);

    [Fact]
    public void Compare_returns_no_differences_for_identical_schemas()
    {
        var differences = Compare([Products(Id, Name, Sku)], [Products(Id, Name, Sku)], exact: true);

        Assert.Empty(differences);
    }

    [Fact]
    public void Compare_ignores_column_order()
    {
        Assert.Empty(Compare([Products(Id, Name, Sku)], [Products(Sku, Id, Name)], exact: true));
    }

    [Fact]
    public void Compare_reports_missing_table()
    {
        var differences = Compare([Products(Id)], []);

        var difference = Assert.Single(differences);
        Assert.Equal(new SchemaDifference(SchemaDifferenceKind.MissingTable, "\"public\".\"Products\""), difference);
        Assert.Equal("table \"public\".\"Products\" does not exist", difference.Describe());
    }

    [Fact]
    public void Compare_matches_tables_by_schema_and_exact_name()
    {
        var live = new[]
        {
            new SchemaTable("shop", "Products", [Id]),
            new SchemaTable("public", "products", [Id]),
        };

        var differences = Compare([Products(Id)], live);

        Assert.Equal(SchemaDifferenceKind.MissingTable, Assert.Single(differences).Kind);
    }

    [Fact]
    public void Compare_reports_missing_column()
    {
        var differences = Compare([Products(Id, Sku)], [Products(Id)]);

        var difference = Assert.Single(differences);
        Assert.Equal(new SchemaDifference(SchemaDifferenceKind.MissingColumn, "\"public\".\"Products\"", "Sku"), difference);
        Assert.Equal("column \"public\".\"Products\".\"Sku\" does not exist", difference.Describe());
    }

    [Fact]
    public void Compare_matches_columns_by_exact_name()
    {
        var differences = Compare([Products(Id, Sku)], [Products(Id, Sku with { Name = "sku" })]);

        Assert.Equal(SchemaDifferenceKind.MissingColumn, Assert.Single(differences).Kind);
    }

    [Fact]
    public void Compare_reports_type_mismatch()
    {
        var differences = Compare([Products(Id, Sku)], [Products(Id, Sku with { StoreType = "text" })]);

        var difference = Assert.Single(differences);
        Assert.Equal(
            new SchemaDifference(SchemaDifferenceKind.TypeMismatch, "\"public\".\"Products\"", "Sku", "character varying(64)", "text"),
            difference);
        Assert.Equal(
            "column \"public\".\"Products\".\"Sku\": type is text, the target model has character varying(64)",
            difference.Describe());
    }

    [Fact]
    public void Compare_reports_nullability_mismatch()
    {
        var differences = Compare([Products(Id, Name)], [Products(Id, Name with { IsNullable = true })]);

        var difference = Assert.Single(differences);
        Assert.Equal(
            new SchemaDifference(SchemaDifferenceKind.NullabilityMismatch, "\"public\".\"Products\"", "Name", "NOT NULL", "NULL"),
            difference);
        Assert.Equal("column \"public\".\"Products\".\"Name\": NULL, the target model has NOT NULL", difference.Describe());
    }

    [Fact]
    public void Compare_reports_type_mismatch_before_nullability_for_the_same_column()
    {
        var differences = Compare([Products(Sku)], [Products(new TableColumn("Sku", "text", false))]);

        Assert.Equal(SchemaDifferenceKind.TypeMismatch, Assert.Single(differences).Kind);
    }

    [Fact]
    public void Compare_ignores_extra_tables_and_columns_when_not_exact()
    {
        var live = new[] { Products(Id, Name, Sku), new SchemaTable("public", "Legacy", [Id]) };

        Assert.Empty(Compare([Products(Id)], live, exact: false));
    }

    [Fact]
    public void Compare_reports_extra_column_in_exact_mode()
    {
        var differences = Compare([Products(Id)], [Products(Id, Sku)], exact: true);

        var difference = Assert.Single(differences);
        Assert.Equal(new SchemaDifference(SchemaDifferenceKind.ExtraColumn, "\"public\".\"Products\"", "Sku"), difference);
        Assert.Equal("column \"public\".\"Products\".\"Sku\" exists but is not in the target model", difference.Describe());
    }

    [Fact]
    public void Compare_reports_extra_table_in_exact_mode()
    {
        var live = new[] { Products(Id), new SchemaTable("audit", "Legacy", [Id]) };

        var differences = Compare([Products(Id)], live, exact: true);

        var difference = Assert.Single(differences);
        Assert.Equal(new SchemaDifference(SchemaDifferenceKind.ExtraTable, "\"audit\".\"Legacy\""), difference);
        Assert.Equal("table \"audit\".\"Legacy\" exists but is not in the target model", difference.Describe());
    }

    [Fact]
    public void Compare_never_reports_ignored_history_tables_as_extra()
    {
        var live = new[]
        {
            Products(Id),
            new SchemaTable("public", HistoryTable, [new TableColumn("MigrationId", "character varying(150)", false)]),
            new SchemaTable("audit", HistoryTable, [new TableColumn("MigrationId", "character varying(150)", false)]),
        };

        Assert.Empty(Compare([Products(Id)], live, exact: true));
    }

    [Fact]
    public void Compare_reports_differences_in_expected_table_order_then_extra_tables()
    {
        var orders = new SchemaTable("public", "Orders", [Id]);
        var live = new[]
        {
            new SchemaTable("public", "Legacy", [Id]),
            orders with { Columns = [Id, Name] },
            Products(Id with { StoreType = "bigint" }),
        };

        var differences = Compare([Products(Id), orders, new SchemaTable("public", "Customers", [Id])], live, exact: true);

        Assert.Equal(
            [
                new SchemaDifference(SchemaDifferenceKind.TypeMismatch, "\"public\".\"Products\"", "Id", "integer", "bigint"),
                new SchemaDifference(SchemaDifferenceKind.ExtraColumn, "\"public\".\"Orders\"", "Name"),
                new SchemaDifference(SchemaDifferenceKind.MissingTable, "\"public\".\"Customers\""),
                new SchemaDifference(SchemaDifferenceKind.ExtraTable, "\"public\".\"Legacy\""),
            ],
            differences);
    }
}
