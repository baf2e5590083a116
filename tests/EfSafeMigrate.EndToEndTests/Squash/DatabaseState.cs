using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Squash;

/// <summary>What a database holds at one moment: its history rows, its schema (bookkeeping tables left out) and the sample rows.</summary>
/// <param name="History">The history table's ids, by id.</param>
/// <param name="Schema">pg_dump --schema-only, normalised, without tables named <c>__*</c>.</param>
/// <param name="Categories">The names in "Categories", sorted (duplicates kept).</param>
/// <param name="Product">The test product as <c>name|price|sku</c>, or null when there is none.</param>
/// <param name="Customer">The test customer's name (column FullName, or Name before the rename), or null.</param>
public sealed record DatabaseState(IReadOnlyList<string> History, string Schema, IReadOnlyList<string> Categories, string? Product, string? Customer)
{
    /// <summary>Reads the state of a database.</summary>
    public static DatabaseState Read(string connectionString)
    {
        var hasCategories = Pg.TableExists(connectionString, "Categories");
        var customerColumn = Pg.ColumnExists(connectionString, "Customers", "FullName") ? "FullName" : "Name";
        return new DatabaseState(
            Pg.History(connectionString),
            Pg.SchemaDump(connectionString, excludeBookkeeping: true),
            hasCategories ? Pg.Strings(connectionString, "SELECT \"Name\" FROM \"Categories\" ORDER BY \"Name\"") : [],
            hasCategories
                ? Pg.Strings(connectionString,
                    "SELECT concat_ws('|', \"Name\", \"Price\"::text, " + (Pg.ColumnExists(connectionString, "Products", "Sku") ? "coalesce(\"Sku\", '<null>')" : "'<no column>'") +
                    ") FROM \"Products\" ORDER BY \"Id\"").SingleOrDefault()
                : null,
            hasCategories ? Pg.Strings(connectionString, $"SELECT \"{customerColumn}\" FROM \"Customers\" ORDER BY \"Id\"").SingleOrDefault() : null);
    }

    public override string ToString() =>
        $"history [{string.Join(", ", History)}]; categories [{string.Join(", ", Categories)}]; product {Product ?? "<none>"}; customer {Customer ?? "<none>"}";
}
