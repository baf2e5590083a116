using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

public class RollbackTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Rollback_to_third_migration_reverts_later_ones_and_writes_backup()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var archivesBefore = session.Archives();
        var third = Shop.MigrationIds[2];

        var rollback = session.Run("rollback", "--to", third, "--yes");

        Assert.True(rollback.ExitCode == 0, rollback.Describe());
        foreach (var id in Shop.MigrationIds.Skip(3))
        {
            Assert.Contains($"Reverting {id}", rollback.StdErr);
        }

        var cs = session.ConnectionString;
        Assert.Equal(Shop.UpTo(third), Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "Orders"), Pg.Describe(cs));
        Assert.False(Pg.TableExists(cs, "OrderLines"), Pg.Describe(cs));
        Assert.False(Pg.IndexExists(cs, "IX_Products_Sku"));
        Assert.True(Pg.ColumnExists(cs, "Products", "LegacyCode"), "the column dropped by the last migration is back");
        Assert.True(Pg.ColumnExists(cs, "Products", "Sku"));
        Assert.True(Pg.ColumnExists(cs, "Customers", "FullName"));
        Assert.Equal(ReferenceSchemas.ShopRolledBackTo(third), Pg.SchemaDump(cs, excludeBookkeeping: true));

        var newArchive = Assert.Single(session.Archives().Except(archivesBefore));
        BackupAssertions.AssertArchive(newArchive, session.DatabaseName, Shop.Last);
    }

    [Fact]
    public void Rollback_backup_needs_yes_without_a_terminal_then_restores_and_names_the_migration()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        var toThird = session.Run("apply", third);
        Assert.True(toThird.ExitCode == 0, toThird.Describe());
        var toLast = session.Run("apply", "--json");
        Assert.True(toLast.ExitCode == 0, toLast.Describe());
        var backup = ToolSession.Json(toLast).GetProperty("backup").GetString()!;
        BackupAssertions.AssertArchive(backup, session.DatabaseName, third);

        var refused = session.Run("rollback", "--backup", backup);

        Assert.True(refused.ExitCode == 3, refused.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));

        var rollback = session.Run("rollback", "--backup", backup, "--yes");

        Assert.True(rollback.ExitCode == 0, rollback.Describe());
        Assert.Contains(third, rollback.Output);
        Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
        Assert.Equal(ReferenceSchemas.ShopAfter(third), Pg.SchemaDump(session.ConnectionString, excludeBookkeeping: true));
        Assert.Equal(
            Shop.MigrationIds.Select(id => (id, string.CompareOrdinal(id, third) <= 0 ? "applied" : "pending")),
            session.Status().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));
    }
}
