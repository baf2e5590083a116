using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// <c>plan</c> and <c>rollback --to</c> name the steps that lose data, with the rows they hold in the real database
/// (the sample Shop: AddOrdersDropLegacy drops Products.LegacyCode, its Down drops Orders and OrderLines; SeedCategories'
/// Down deletes with SQL), and the rollback's confirmation says it.
/// </summary>
public class DestructiveStepTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    private static string SeedCategories => Shop.MigrationIds[4];

    private static string AddOrdersDropLegacy => Shop.MigrationIds[5];

    [Fact]
    public void Plan_flags_a_dropped_column_with_its_non_null_values_and_deleting_sql()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply", SeedCategories);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var cs = session.ConnectionString;
        Pg.Execute(cs, """
            INSERT INTO "Products" ("Name", "Price", "LegacyCode", "CategoryId", "Sku")
            SELECT 'p' || i, 1.5, CASE WHEN i <= 3 THEN 'L' || i END, (SELECT min("Id") FROM "Categories"), 'sku-' || i
            FROM generate_series(1, 5) AS i;
            """);

        var plan = session.Run("plan");

        Assert.True(plan.ExitCode == 0, plan.Describe());
        Assert.Contains("Destructive steps", plan.StdOut);
        Assert.Contains($"apply {AddOrdersDropLegacy}: drops column Products.LegacyCode (3 non-null values)", plan.StdOut);

        var back = session.Run("plan", Shop.MigrationIds[3]);

        Assert.True(back.ExitCode == 0, back.Describe());
        Assert.Contains($"revert {SeedCategories}: runs SQL that deletes data: DELETE FROM \"Categories\" WHERE \"Name\" IN ('Books', 'Games', 'Music')", back.StdOut);
        Assert.Equal(Shop.UpTo(SeedCategories), Pg.History(cs));
        Assert.Equal(5L, Pg.Scalar(cs, "SELECT count(*) FROM \"Products\""));
    }

    [Fact]
    public void Rollback_names_the_tables_its_downs_drop_with_their_rows_and_asks_first()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var cs = session.ConnectionString;
        Pg.Execute(cs, """
            INSERT INTO "Customers" ("FullName", "Email") VALUES ('Ada', 'ada@example.com');
            INSERT INTO "Orders" ("CustomerId", "PlacedAt") SELECT (SELECT min("Id") FROM "Customers"), now() FROM generate_series(1, 1204);
            INSERT INTO "Products" ("Name", "Price", "CategoryId", "Sku") VALUES ('p', 1.5, (SELECT min("Id") FROM "Categories"), 'sku-1');
            INSERT INTO "OrderLines" ("OrderId", "ProductId", "Quantity", "UnitPrice")
            SELECT (SELECT min("Id") FROM "Orders"), (SELECT min("Id") FROM "Products"), i, 2 FROM generate_series(1, 3) AS i;
            """);

        var plan = session.Run("plan", SeedCategories);

        Assert.True(plan.ExitCode == 0, plan.Describe());
        Assert.Contains($"revert {AddOrdersDropLegacy}: drops table OrderLines (3 rows)", plan.StdOut);
        Assert.Contains($"revert {AddOrdersDropLegacy}: drops table Orders (1,204 rows)", plan.StdOut);

        var archivesBefore = session.Archives();

        var refused = session.Run("rollback", "--to", SeedCategories);

        Assert.True(refused.ExitCode == 3, refused.Describe());
        Assert.Contains($"warning: revert {AddOrdersDropLegacy} drops table Orders (1,204 rows).", refused.StdErr);
        Assert.Contains("This drops table OrderLines (3 rows); drops table Orders (1,204 rows). A backup is taken first. Continue? Confirmation is needed, but input is not a terminal: pass --yes to confirm. Nothing was changed.", refused.StdErr);
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal(1204L, Pg.Scalar(cs, "SELECT count(*) FROM \"Orders\""));
        Assert.Equal(archivesBefore, session.Archives());

        var rollback = session.Run("rollback", "--to", SeedCategories, "--yes");

        Assert.True(rollback.ExitCode == 0, rollback.Describe());
        Assert.Contains($"warning: revert {AddOrdersDropLegacy} drops table OrderLines (3 rows).", rollback.StdErr);
        Assert.Equal(Shop.UpTo(SeedCategories), Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "Orders"), Pg.Describe(cs));
        Assert.Single(session.Archives().Except(archivesBefore));
    }
}
