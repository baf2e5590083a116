using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

public class ScriptTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Script_of_all_migrations_runs_with_psql_on_empty_database()
    {
        using var session = ToolSession.Create(Shop, output);

        var script = session.Run("script");

        Assert.True(script.ExitCode == 0, script.Describe());
        var file = Path.Combine(session.WorkDir, "all.sql");
        File.WriteAllText(file, script.StdOut);
        var psql = Pg.Psql(session.ConnectionString, file);
        Assert.True(psql.ExitCode == 0, psql.Describe() + Environment.NewLine + script.StdOut);

        var cs = session.ConnectionString;
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(cs, excludeBookkeeping: true));
        Assert.Equal(
            ["Books", "Games", "Music"],
            Pg.Strings(cs, "SELECT \"Name\" FROM \"Categories\" ORDER BY \"Name\""));
        Assert.Empty(session.Archives());
    }

    [Fact]
    public void Script_idempotent_runs_twice_in_a_row_on_the_same_database()
    {
        using var session = ToolSession.Create(Shop, output);
        var file = Path.Combine(session.WorkDir, "idempotent.sql");

        var script = session.Run("script", "--idempotent", "-o", file);

        Assert.True(script.ExitCode == 0, script.Describe());
        Assert.True(File.Exists(file), $"-o {file} was not written");
        for (var run = 1; run <= 2; run++)
        {
            var psql = Pg.Psql(session.ConnectionString, file);
            Assert.True(psql.ExitCode == 0, $"run {run}: {psql.Describe()}{Environment.NewLine}{File.ReadAllText(file)}");
        }

        var cs = session.ConnectionString;
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(cs, excludeBookkeeping: true));
        Assert.Equal(3L, Pg.Scalar(cs, "SELECT count(*) FROM \"Categories\""));
    }

    [Fact]
    public void Script_from_a_migration_to_another_continues_a_database_made_by_apply()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        var apply = session.Run("apply", third);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var file = Path.Combine(session.WorkDir, "rest.sql");

        var script = session.Run("script", third, Shop.Last, "-o", file);

        Assert.True(script.ExitCode == 0, script.Describe());
        var psql = Pg.Psql(session.ConnectionString, file);
        Assert.True(psql.ExitCode == 0, psql.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(ReferenceSchemas.ShopFull, Pg.SchemaDump(session.ConnectionString, excludeBookkeeping: true));
    }
}
