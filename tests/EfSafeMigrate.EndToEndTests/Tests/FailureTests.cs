using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

public class FailureTests(ITestOutputHelper output)
{
    [Fact]
    public void Apply_failing_migration_exits_5_naming_the_migration_the_error_and_the_backup()
    {
        var fixture = FixtureProjects.ShopWithFailingMigration;
        var breakHalfway = fixture.Id("BreakHalfway");
        Assert.Equal(3, fixture.MigrationIds.ToList().IndexOf(breakHalfway));
        using var session = ToolSession.Create(fixture, output);

        var apply = session.Run("apply");

        Assert.True(apply.ExitCode == 5, apply.Describe());
        var cs = session.ConnectionString;
        Assert.Equal(fixture.MigrationIds.Take(3), Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "HalfwayMarker"), "BreakHalfway's table survived: " + Pg.Describe(cs));
        Assert.False(Pg.IndexExists(cs, "IX_Products_Sku"), "a migration after BreakHalfway ran");
        Assert.False(Pg.TableExists(cs, "Orders"), "a migration after BreakHalfway ran");
        Assert.True(Pg.ColumnExists(cs, "Customers", "FullName"));

        Assert.Contains("_BreakHalfway", apply.Output);
        Assert.Contains("division by zero", apply.Output);
        var archive = Assert.Single(session.Archives());
        Assert.Contains(archive, apply.Output);
        Assert.Contains("rollback --backup", apply.Output);
        BackupAssertions.AssertArchive(archive, session.DatabaseName, headMigration: null);
    }

    [Theory]
    [InlineData("option")]
    [InlineData("environment")]
    public void Wrong_password_fails_and_never_shows_the_password(string via)
    {
        const string password = "Wr0ng-Pa55-e2e-7781";
        using var session = ToolSession.Create(FixtureProjects.Shop, output);
        var wrong = new NpgsqlConnectionStringBuilder(session.ConnectionString) { Password = password }.ConnectionString;
        var options = via == "option"
            ? new RunOptions { Connection = wrong }
            : new RunOptions { EnvironmentConnection = wrong };

        foreach (var command in new[] { new[] { "status" }, ["apply"], ["backup", "create"], ["apply", "--json", "-v"] })
        {
            var result = session.Run(options, command);

            Assert.True(result.ExitCode != 0, result.Describe());
            Assert.Contains("password authentication failed", result.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(password, result.StdOut);
            Assert.DoesNotContain(password, result.StdErr);
        }

        Assert.Null(Pg.HistoryOrNull(session.ConnectionString));
        Assert.Empty(session.Archives());
    }
}
