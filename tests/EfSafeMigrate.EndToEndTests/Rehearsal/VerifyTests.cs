using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Rehearsal;

public class VerifyTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Verify_finds_no_drift_on_a_clean_database_and_each_kind_of_drift_made_by_hand()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply").ExitCode == 0);
        var cs = session.ConnectionString;

        var clean = session.Run("verify");
        Assert.True(clean.ExitCode == 0, clean.Describe());
        Assert.Contains("No drift", clean.StdErr);
        var cleanCheck = session.Run("check", "--database", "--schema");
        Assert.True(cleanCheck.ExitCode == 0, cleanCheck.Describe());

        Pg.Execute(cs, """
            DROP INDEX "IX_Products_Sku";
            ALTER TABLE "Customers" ALTER COLUMN "Email" TYPE text;
            ALTER TABLE "Products" ADD COLUMN "Extra" integer;
            ALTER TABLE "OrderLines" DROP CONSTRAINT "FK_OrderLines_Orders_OrderId";
            CREATE VIEW "CustomerEmails" AS SELECT "Email" FROM "Customers";
            """);
        var before = RehearsalFixtures.Snapshot(cs);

        var verify = session.Run("verify", "--json");

        Assert.True(verify.ExitCode == 1, verify.Describe());
        var json = ToolSession.Json(verify);
        var drift = json.GetProperty("drift").EnumerateArray().ToDictionary(d => d.GetProperty("object").GetString()!, d => d);
        output.WriteLine(string.Join(Environment.NewLine, drift.Keys));
        AssertDrift(drift, "index public.\"IX_Products_Sku\"", "missing", Shop.Id("AddUniqueSkuIndex"));
        AssertDrift(drift, "column public.\"Customers\".\"Email\"", "different", Shop.Id("Initial"));
        Assert.Equal("text NOT NULL", drift["column public.\"Customers\".\"Email\""].GetProperty("actual").GetString());
        AssertDrift(drift, "column public.\"Products\".\"Extra\"", "extra", null);
        AssertDrift(drift, "constraint public.\"OrderLines\".\"FK_OrderLines_Orders_OrderId\"", "missing", Shop.Id("AddOrdersDropLegacy"));
        Assert.Equal(4, drift.Count);
        var view = Assert.Single(json.GetProperty("unmodeled").EnumerateArray());
        Assert.Equal("view public.\"CustomerEmails\"", view.GetProperty("object").GetString());
        Assert.Equal(before, RehearsalFixtures.Snapshot(cs));

        var table = session.Run("verify");
        Assert.True(table.ExitCode == 1, table.Describe());
        Assert.Contains("IX_Products_Sku", table.StdOut);
        Assert.Contains("differs from the schema its 6 applied migration(s) give: 4 difference(s)", table.StdErr);

        var check = session.Run("check", "--database", "--schema");
        Assert.True(check.ExitCode == 1, check.Describe());
        Assert.Contains("SM404", check.Output);

        var noDatabase = session.Run("check", "--schema");
        Assert.True(noDatabase.ExitCode == 2, noDatabase.Describe());
    }

    private static void AssertDrift(Dictionary<string, JsonElement> drift, string key, string change, string? migration)
    {
        Assert.True(drift.TryGetValue(key, out var entry), $"no drift for {key}: {string.Join(", ", drift.Keys)}");
        Assert.Equal(change, entry.GetProperty("change").GetString());
        Assert.Equal(migration, entry.GetProperty("migration").GetString());
    }
}
