using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// Migration statements get no command timeout unless --command-timeout sets one: a connection string (or
/// Npgsql's default of 30 s) with a shorter one must not cut off a long step, and --command-timeout must.
/// SlowStep runs 3 s.
/// </summary>
public class CommandTimeoutTests(ITestOutputHelper output)
{
    private static FixtureProject Slow => ExecutionFixtures.ShopWithSlowMigration;

    [Fact]
    public void Apply_runs_a_step_longer_than_the_connection_strings_command_timeout()
    {
        using var session = ToolSession.Create(Slow, output);
        var shortTimeout = new NpgsqlConnectionStringBuilder(session.ConnectionString) { CommandTimeout = 1 }.ConnectionString;

        var apply = session.Run(new RunOptions { EnvironmentConnection = shortTimeout }, "apply", "--no-backup");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(Slow.MigrationIds, Pg.History(session.ConnectionString));
        Assert.True(Pg.TableExists(session.ConnectionString, "SlowMarker"));
    }

    [Fact]
    public void Apply_with_command_timeout_1_fails_the_3_s_step_naming_it_and_the_option()
    {
        using var session = ToolSession.Create(Slow, output);
        var slowStep = Slow.Id("SlowStep");

        var apply = session.Run("apply", "--no-backup", "--command-timeout", "1");

        Assert.True(apply.ExitCode == 5, apply.Describe());
        Assert.Contains($"Migration '{slowStep}' failed to apply", apply.StdErr);
        Assert.Contains("timed out", apply.StdErr);
        Assert.Contains("--command-timeout 1", apply.StdErr);
        Assert.DoesNotContain("Exception while reading from stream:", apply.StdErr);
        var cs = session.ConnectionString;
        Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, session.DatabaseName, TimeSpan.FromSeconds(30));
        Assert.Equal(Slow.UpTo(Slow.Id("RenameCustomerName")), Pg.History(cs));
        Assert.False(Pg.TableExists(cs, "SlowMarker"), "the timed-out step left its table: " + Pg.Describe(cs));
    }

    [Fact]
    public void Command_timeout_rejects_a_value_that_is_not_a_number_of_seconds()
    {
        using var session = ToolSession.Create(Slow, output);

        var apply = session.Run("apply", "--command-timeout", "soon");

        Assert.True(apply.ExitCode == 2, apply.Describe());
        Assert.Contains("--command-timeout takes a whole number of seconds (0 or more), not 'soon'", apply.StdErr);
        Assert.Empty(Pg.History(session.ConnectionString));
    }
}
