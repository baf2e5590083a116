using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>Checks of the harness itself (no tool involved), so that a tool failure is not mistaken for a harness one.</summary>
public class HarnessTests
{
    [Fact]
    public void Migration_ids_are_read_from_the_project_folders_in_order()
    {
        var shop = FixtureProjects.Shop.MigrationIds;
        Assert.Equal(
            ["Initial", "AddProductSku", "RenameCustomerName", "AddUniqueSkuIndex", "SeedCategories", "AddOrdersDropLegacy"],
            shop.Select(id => id[15..]));

        var failing = FixtureProjects.ShopWithFailingMigration.MigrationIds;
        Assert.Equal(shop.Take(3).Append(FixtureProjects.ShopWithFailingMigration.Id("BreakHalfway")).Concat(shop.Skip(3)), failing);
    }

    [Fact]
    public void Reference_schemas_change_with_every_schema_migration()
    {
        var ids = FixtureProjects.Shop.MigrationIds;
        var dumps = ReferenceSchemas.Shop;

        Assert.Equal(ids.Count + 1, dumps.Count);
        Assert.DoesNotContain("CREATE TABLE", dumps[0]);
        for (var k = 1; k <= ids.Count; k++)
        {
            if (ids[k - 1].EndsWith("_SeedCategories", StringComparison.Ordinal))
            {
                Assert.Equal(dumps[k - 1], dumps[k]);
            }
            else
            {
                Assert.NotEqual(dumps[k - 1], dumps[k]);
            }
        }

        Assert.Contains("CREATE TABLE public.\"OrderLines\"", dumps[^1]);
        Assert.DoesNotContain("__EFMigrationsHistory", dumps[^1]);
        Assert.DoesNotContain("\\restrict", dumps[^1]);
    }

    [Fact]
    public void Normalise_drops_comments_blank_lines_and_restrict_lines()
    {
        var dump = "--\n-- PostgreSQL database dump\n--\n\\restrict abc123\n\nSET x = 1;\n\nCREATE TABLE t (id int);\n\\unrestrict abc123\n";
        Assert.Equal("SET x = 1;\nCREATE TABLE t (id int);\n", Pg.Normalise(dump));
    }
}
