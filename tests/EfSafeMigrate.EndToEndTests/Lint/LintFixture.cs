using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Lint;

/// <summary>tests/Fixtures/ShopWithUnsafeMigrations and helpers to fill its Items table.</summary>
internal static class LintFixture
{
    public static FixtureProject Project
    {
        get
        {
            var path = Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithUnsafeMigrations", "ShopWithUnsafeMigrations.csproj");
            return new FixtureProject(path, FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!));
        }
    }

    /// <summary>Inserts <paramref name="rows"/> items with unique codes and short names (generate_series), then ANALYZEs.</summary>
    public static void InsertItems(string connectionString, int rows, int offset = 0)
    {
        Pg.Execute(connectionString,
            $"INSERT INTO \"Items\" (\"Name\", \"Code\", \"Quantity\") SELECT 'item ' || g, 'code-' || g, g FROM generate_series({offset + 1}, {offset + rows}) AS g; ANALYZE \"Items\";");
    }

    public static List<JsonElement> Findings(JsonElement lint) => lint.GetProperty("findings").EnumerateArray().ToList();

    public static JsonElement Single(List<JsonElement> findings, string code, string migrationName)
        => Assert.Single(findings, f => f.GetProperty("code").GetString() == code && f.GetProperty("migration").GetString()!.EndsWith("_" + migrationName, StringComparison.Ordinal));

    public static string Severity(JsonElement finding) => finding.GetProperty("severity").GetString()!;

    /// <summary>Indexes PostgreSQL marks invalid (a failed CREATE INDEX CONCURRENTLY leaves one).</summary>
    public static List<string> InvalidIndexes(string connectionString)
        => Pg.Strings(connectionString, "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid");
}
