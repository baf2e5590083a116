using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Rehearsal;

/// <summary>The fixtures and database probes of the rehearse / verify / history / repair tests.</summary>
public static class RehearsalFixtures
{
    /// <summary>
    /// tests/Fixtures/ShopWithLossyDown: the sample's migrations plus AddCustomerNotes (last), whose Up adds column
    /// Customers.Notes and index IX_Products_Name and whose Down drops only the column.
    /// </summary>
    public static FixtureProject ShopWithLossyDown
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithLossyDown", "ShopWithLossyDown.csproj");
            var ids = FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!)
                .Concat(FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(RepoPaths.ShopProject)!))
                .Distinct().Order(StringComparer.Ordinal).ToList();
            return new FixtureProject(path, ids);
        }
    }

    /// <summary>The rehearsal copies of <paramref name="database"/> on the test server (<c>&lt;db&gt;_rehearsal_...</c>).</summary>
    public static List<string> Copies(string database) =>
        Pg.Strings(E2eDatabase.ServerConnectionString,
            $"SELECT datname::text FROM pg_database WHERE datname LIKE {Pg.Literal(database.Replace("_", "\\_") + "\\_rehearsal\\_%")} ORDER BY 1");

    /// <summary>
    /// What must not change when a command only reads: the full schema dump (pg_dump --schema-only, bookkeeping tables
    /// included), the history, and the row count of every table.
    /// </summary>
    public static string Snapshot(string connectionString) =>
        Pg.SchemaDump(connectionString) + Environment.NewLine +
        string.Join(",", Pg.History(connectionString)) + Environment.NewLine +
        string.Join(Environment.NewLine, Pg.RowCounts(connectionString).Select(p => $"{p.Key}={p.Value}"));
}
