using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

public class FakeInitialTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    private static string InitialId => Shop.MigrationIds[0];

    [Fact]
    public void Fake_initial_on_schema_made_by_initial_script_fakes_it_and_applies_the_rest_keeping_rows()
    {
        using var session = ToolSession.Create(Shop, output);
        CreateInitialSchemaWithoutHistory(session);

        var apply = session.Run("apply", "--fake-initial");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains($"FAKED {InitialId}", apply.Output);
        var cs = session.ConnectionString;
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(cs, excludeBookkeeping: true));
        Assert.Equal(1L, Pg.Scalar(cs, "SELECT count(*) FROM \"Categories\" WHERE \"Name\" = 'Existing category'"));
        Assert.Equal(1L, Pg.Scalar(cs, "SELECT count(*) FROM \"Customers\" WHERE \"FullName\" = 'Grace Hopper'"));
        Assert.Equal(1L, Pg.Scalar(cs, "SELECT count(*) FROM \"Products\" WHERE \"Name\" = 'Existing product'"));
    }

    [Fact]
    public void Fake_initial_refuses_with_exit_1_naming_a_missing_table_and_records_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        CreateInitialSchemaWithoutHistory(session);
        Pg.Execute(session.ConnectionString, "DROP TABLE \"Customers\"");

        var apply = session.Run("apply", "--fake-initial");

        Assert.True(apply.ExitCode == 1, apply.Describe());
        Assert.Contains("Customers", apply.Output);
        var cs = session.ConnectionString;
        Assert.Empty(Pg.History(cs));
        Assert.False(Pg.ColumnExists(cs, "Products", "Sku"), "a later migration ran");
        Assert.Equal(1L, Pg.Scalar(cs, "SELECT count(*) FROM \"Products\""));
    }

    [Fact]
    public void Fake_initial_on_EnsureCreated_database_names_the_matching_migration_and_the_fake_command()
    {
        using var session = ToolSession.Create(Shop, output);
        using (var context = ReferenceSchemas.CreateShopContext(session.ConnectionString))
        {
            Assert.True(context.Database.EnsureCreated());
        }

        var refused = session.Run("apply", "--fake-initial");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains(Shop.Last, refused.Output);
        Assert.Contains($"apply --fake {Shop.Last}", refused.Output);
        Assert.Empty(Pg.History(session.ConnectionString));

        var fake = session.Run("apply", "--fake", Shop.Last);

        Assert.True(fake.ExitCode == 0, fake.Describe());
        Assert.Contains($"FAKED {Shop.Last}", fake.Output);
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(
            Shop.MigrationIds.Select(id => (id, "applied")),
            session.Status().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }

    /// <summary>
    /// The schema the initial migration creates, from the tool's own <c>script 0 &lt;Initial&gt;</c> run by psql,
    /// then the history table dropped (a database made before migrations were used), with a few rows.
    /// </summary>
    private static void CreateInitialSchemaWithoutHistory(ToolSession session)
    {
        var file = Path.Combine(session.WorkDir, "initial.sql");
        var script = session.Run("script", "0", InitialId, "-o", file);
        Assert.True(script.ExitCode == 0, script.Describe());
        var psql = Pg.Psql(session.ConnectionString, file);
        Assert.True(psql.ExitCode == 0, psql.Describe());
        Assert.True(Pg.TableExists(session.ConnectionString, Pg.HistoryTable), "the script did not create the history table");
        foreach (var bookkeeping in Pg.Tables(session.ConnectionString).Where(t => t.StartsWith("__", StringComparison.Ordinal)))
        {
            Pg.Execute(session.ConnectionString, $"DROP TABLE {Pg.Identifier(bookkeeping)}");
        }

        Pg.Execute(session.ConnectionString, """
            INSERT INTO "Categories" ("Name") VALUES ('Existing category');
            INSERT INTO "Customers" ("Name", "Email") VALUES ('Grace Hopper', 'grace@example.org');
            INSERT INTO "Products" ("Name", "Price", "LegacyCode", "CategoryId")
                SELECT 'Existing product', 3.20, 'OLD-1', "Id" FROM "Categories";
            """);
        Assert.Equal(["Categories", "Customers", "Products"], Pg.Tables(session.ConnectionString));
    }
}
