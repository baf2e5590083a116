using EfSafeMigrate.EndToEndTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>
/// One database of the squash scenario: brought to a position by EF Core's own migrator with the sample's original
/// migrations (the project before the squash), with a category, a product and a customer inserted when its tables exist.
/// </summary>
public sealed class SquashDatabase : IDisposable
{
    /// <summary>The category the test inserts; the sample's SQL step inserts Books, Games and Music.</summary>
    public const string TestCategory = "Tools";

    /// <summary>The test product as <see cref="DatabaseState.Product"/> reads it once Sku exists and is null.</summary>
    public const string TestProduct = "Hammer|9.90|<null>";

    public const string TestCustomer = "Ada Lovelace";

    private readonly E2eDatabase _database;

    private SquashDatabase(string label, string? appliedThrough, E2eDatabase database)
    {
        Label = label;
        AppliedThrough = appliedThrough;
        _database = database;
    }

    /// <summary>A short name for messages and theory data: <c>empty</c>, or the name of the last migration applied before the squash.</summary>
    public string Label { get; }

    /// <summary>The last migration applied before the squash, or null for an empty database.</summary>
    public string? AppliedThrough { get; }

    public string Name => _database.Name;

    public string ConnectionString => _database.ConnectionString;

    /// <summary>True when the test rows were inserted (the database had the sample's tables).</summary>
    public bool HasTestRows => AppliedThrough is not null;

    /// <summary>Creates the database and applies the sample's migrations up to <paramref name="appliedThrough"/> (none when null), then inserts the test rows.</summary>
    public static SquashDatabase Prepare(string label, string? appliedThrough)
    {
        var database = E2eDatabase.Create();
        try
        {
            var prepared = new SquashDatabase(label, appliedThrough, database);
            if (appliedThrough is not null)
            {
                using (var context = ReferenceSchemas.CreateShopContext(database.ConnectionString))
                {
                    context.GetService<IMigrator>().Migrate(appliedThrough);
                }

                prepared.InsertTestRows();
            }

            return prepared;
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public DatabaseState State() => DatabaseState.Read(ConnectionString);

    public void Dispose() => _database.Dispose();

    private void InsertTestRows()
    {
        var cs = ConnectionString;
        var categoryId = Convert.ToInt32(Pg.Scalar(cs, $"INSERT INTO \"Categories\" (\"Name\") VALUES ({Pg.Literal(TestCategory)}) RETURNING \"Id\""));
        Pg.Execute(cs, $"INSERT INTO \"Products\" (\"Name\", \"Price\", \"CategoryId\") VALUES ('Hammer', 9.90, {categoryId})");
        var nameColumn = Pg.ColumnExists(cs, "Customers", "FullName") ? "FullName" : "Name";
        Pg.Execute(cs, $"INSERT INTO \"Customers\" (\"{nameColumn}\", \"Email\") VALUES ({Pg.Literal(TestCustomer)}, 'ada@example.invalid')");
    }

    public override string ToString() => $"{Label} ({Name})";
}
