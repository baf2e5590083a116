using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// A database that does not exist yet (a new environment, the demo's first step) is not the trace of an interrupted
/// restore: <c>status</c> shows every migration pending and <c>apply</c> creates it, as <c>dotnet ef database update</c> does.
/// </summary>
public class MissingDatabaseTests(ITestOutputHelper output)
{
    [Fact]
    public void Status_shows_all_pending_and_apply_creates_a_database_that_does_not_exist_yet()
    {
        using var session = ToolSession.Create(FixtureProjects.Shop, output);
        using var missing = E2eDatabase.Adopt();
        var connection = new NpgsqlConnectionStringBuilder(session.ConnectionString) { Database = missing.Name }.ConnectionString;
        var options = new RunOptions { EnvironmentConnection = connection };

        var status = session.Run(options, "status");
        Assert.True(status.ExitCode == 0, status.Describe());
        Assert.Contains($"0 applied, {FixtureProjects.Shop.MigrationIds.Count} pending", status.StdErr);
        Assert.False(Pg.DatabaseExists(E2eDatabase.ServerConnectionString, missing.Name), "status created the database");

        var apply = session.Run(options, "apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(FixtureProjects.Shop.MigrationIds, Pg.History(connection));
    }
}
