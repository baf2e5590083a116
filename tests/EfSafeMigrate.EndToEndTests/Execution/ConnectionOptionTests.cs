using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Execution;

/// <summary>
/// The --connection value never reaches a command line (the inner process gets it through its environment), and
/// an empty or malformed value is a usage error naming the option, never echoing the value.
/// </summary>
public class ConnectionOptionTests(ITestOutputHelper output)
{
    private const string Password = "Cmdline-Secret-5173";

    [Fact]
    public void While_an_apply_runs_no_process_the_tool_starts_has_the_connection_password_on_its_command_line()
    {
        using var session = ToolSession.Create(ExecutionFixtures.ShopWithSlowMigration, output);
        var role = "e2e_secret_" + Guid.NewGuid().ToString("N")[..8];
        Pg.Execute(session.ConnectionString, $"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{Password}'");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(session.ConnectionString) { Username = role, Password = Password }.ConnectionString;
            using var apply = session.Start(new RunOptions { Connection = connection, EnvironmentConnection = "Host=127.0.0.1;Port=1;Database=not_this_one;Username=nobody" }, "apply");

            var sawInner = false;
            var leaks = new List<string>();
            while (!apply.HasExited && apply.Elapsed < TimeSpan.FromMinutes(3))
            {
                // The tool as started here has the value on its command line because this test put it there (as a
                // user typing --connection does); every process the tool starts must not. A child caught between
                // fork and exec still shows the tool's own command line (it has not become the program it starts
                // yet): that copy is the tool, not a process it started with the password.
                var lines = ExecutionFixtures.CommandLines();
                var own = lines.GetValueOrDefault(apply.Id);
                var forks = ExecutionFixtures.Children(apply.Id).Where(pid => lines.GetValueOrDefault(pid) == own).ToHashSet();
                foreach (var (pid, line) in lines.Where(p => p.Key != apply.Id && !forks.Contains(p.Key)))
                {
                    sawInner |= line.Contains("__inner", StringComparison.Ordinal);
                    if (line.Contains(Password, StringComparison.Ordinal))
                    {
                        leaks.Add($"{pid}: {RunningProcess.MaskPasswords(line.Replace(Password, "<password>"))}");
                    }
                }

                Thread.Sleep(50);
            }

            var result = apply.WaitForExit(TimeSpan.FromMinutes(1));
            session.Log(result);
            Assert.True(result.ExitCode == 0, result.Describe());
            Assert.True(sawInner, "the inner process was never seen, so the scan proves nothing");
            Assert.True(leaks.Count == 0, "the password is on a command line: " + string.Join(" | ", leaks.Distinct()));
            Assert.DoesNotContain(Password, result.Output);
            Assert.Equal(ExecutionFixtures.ShopWithSlowMigration.MigrationIds, Pg.History(session.ConnectionString));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Pg.WaitForNoOtherSessions(E2eDatabase.ServerConnectionString, session.DatabaseName, TimeSpan.FromSeconds(30));
            Pg.Execute(session.ConnectionString, $"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role} CASCADE");
            Pg.Execute(E2eDatabase.ServerConnectionString, $"DROP ROLE {role}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_connection_exits_2_naming_the_option_and_does_not_fall_back(string value)
    {
        using var session = ToolSession.Create(FixtureProjects.Shop, output);

        foreach (var command in new[] { new[] { "apply" }, ["status"] })
        {
            var result = session.Run(new RunOptions { Connection = value }, command);

            Assert.True(result.ExitCode == 2, result.Describe());
            Assert.Contains("--connection", result.StdErr);
            Assert.Contains("empty", result.StdErr);
        }

        Assert.Null(Pg.HistoryOrNull(session.ConnectionString));
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=abc;Username=postgres;Password=" + Password)]
    [InlineData("Host=127.0.0.1;Password=" + Password + ";NoSuchKeyword=1")]
    [InlineData("Host=127.0.0.1;Password=" + Password + ";Timeout=" + Password)]
    public void Malformed_connection_exits_2_naming_the_option_and_never_shows_the_value(string value)
    {
        using var session = ToolSession.Create(FixtureProjects.Shop, output);

        var result = session.Run(new RunOptions { Connection = value }, "apply");

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("--connection", result.StdErr);
        Assert.Contains("not a valid", result.StdErr);
        Assert.DoesNotContain(Password, result.Output);
        Assert.Null(Pg.HistoryOrNull(session.ConnectionString));
    }
}
