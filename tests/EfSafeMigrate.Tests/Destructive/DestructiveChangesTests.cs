using EfSafeMigrate.Destructive;
using EfSafeMigrate.Lint;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tests.Destructive;

public class DestructiveChangesTests
{
    [Fact]
    public void Find_flags_drops_narrowing_not_null_deleted_seed_rows_and_deleting_sql_in_order()
    {
        MigrationOperation[] operations =
        [
            new CreateTableOperation { Name = "Audit" },
            new DropTableOperation { Name = "Members" },
            new DropColumnOperation { Table = "Customers", Name = "Phone" },
            new DropSchemaOperation { Name = "archive" },
            new AlterColumnOperation
            {
                Table = "Customers", Name = "Code", ClrType = typeof(string), ColumnType = "character varying(20)",
                OldColumn = new AddColumnOperation { Table = "Customers", Name = "Code", ClrType = typeof(string), ColumnType = "character varying(200)" },
            },
            new AlterColumnOperation
            {
                Table = "Customers", Name = "Email", ClrType = typeof(string), ColumnType = "text", IsNullable = false,
                OldColumn = new AddColumnOperation { Table = "Customers", Name = "Email", ClrType = typeof(string), ColumnType = "text", IsNullable = true },
            },
            new DeleteDataOperation { Table = "Categories", KeyColumns = ["Id"], KeyValues = new object?[,] { { 1 }, { 2 } } },
            new SqlOperation { Sql = "UPDATE \"Orders\" SET \"State\" = 1;\n  DELETE   FROM \"Orders\"\n WHERE \"State\" = 0;" },
            new SqlOperation { Sql = "INSERT INTO \"Orders\" VALUES (1);" },
            new RenameTableOperation { Name = "A", NewName = "B" },
        ];

        var found = DestructiveChanges.Find(operations, database: null);

        Assert.Equal(
        [
            "drops table Members",
            "drops column Customers.Phone",
            "drops schema archive",
            "narrows column Customers.Code to character varying(20)",
            "makes column Customers.Email NOT NULL",
            "deletes 2 seeded row(s) from table Categories",
            "runs SQL that deletes data: DELETE FROM \"Orders\" WHERE \"State\" = 0",
        ], found.Select(c => c.Description));
        Assert.Equal([null, null, null, null, null, 2L, null], found.Select(c => c.Rows));
    }

    [Fact]
    public void Find_counts_rows_exactly_below_the_threshold_and_shows_the_estimate_above_it()
    {
        var database = new Sizes(new Dictionary<string, long> { ["Members"] = 1204, ["Big"] = 12_345_678, ["Empty"] = 0, ["Customers"] = 10 }, values: 3);

        var found = DestructiveChanges.Find(
        [
            new DropTableOperation { Name = "Members" },
            new DropTableOperation { Name = "Big" },
            new DropTableOperation { Name = "Empty" },
            new DropTableOperation { Name = "Missing" },
            new DropColumnOperation { Table = "Customers", Name = "Phone" },
            new DropColumnOperation { Table = "Big", Name = "Note" },
        ], database);

        Assert.Equal(
        [
            "drops table Members (1,204 rows)",
            "drops table Big (about 12,345,678 rows, estimated)",
            "drops table Empty (empty)",
            "drops table Missing",
            "drops column Customers.Phone (3 non-null values)",
            "drops column Big.Note (table of about 12,345,678 rows, estimated)",
        ], found.Select(c => c.Description));
        Assert.Equal([1204L, 12_345_678L, 0L, null, 3L, null], found.Select(c => c.Rows));
        Assert.Equal([false, true, false, false, false, true], found.Select(c => c.Estimated));
    }

    private sealed class Sizes(Dictionary<string, long> rows, long values) : ILintDatabase
    {
        public string Describe() => "test";

        public TableSize GetTableSize(TableRef table, long countUpTo)
            => rows.TryGetValue(table.Name, out var count) ? new TableSize(true, count, count * 100) : TableSize.Missing;

        public long? CountViolations(TableRef table, string column, NarrowingCheck check, int? maxLength, long limit)
            => check == NarrowingCheck.Values ? Math.Min(values, limit) : null;
    }
}
