using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Projects;

/// <summary>
/// The project shapes <c>dotnet ef</c> handles, run with the packed tool (issue 9, items 1–4): a class library as its
/// own startup project, a web app as startup project of a data library, a generic-host worker with two DbContexts,
/// and apps on the oldest and newest EF Core 10 / Npgsql 10 patches and on EF Core 9.
/// </summary>
[ExpectedSeconds(50)]
public class ProjectShapeTests(ITestOutputHelper output)
{
    [Fact]
    public void Class_library_is_its_own_startup_project_on_the_oldest_EF_Core_10_patch()
    {
        var project = ShapeFixtures.LibraryStartup;
        using var session = ToolSession.Create(project, output);
        session.InProcess = false; // the app's own host and EF Core version: the tool's inner process
        Assert.False(File.Exists(Path.Combine(project.Directory, "bin", "Debug", "net10.0", "LibraryStartup.runtimeconfig.json")), "the fixture must be a class library");

        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(project.MigrationIds, Pg.History(session.ConnectionString));
        Assert.True(Pg.TableExists(session.ConnectionString, "Books"));

        var status = ToolSession.Json(session.Run("status", "--json"));
        Assert.Equal("LibraryStartup.LibraryContext", status.GetProperty("context").GetString());
        Assert.All(status.GetProperty("migrations").EnumerateArray(), m => Assert.Equal("applied", m.GetProperty("status").GetString()));
    }

    [Fact]
    public void Web_app_startup_keeps_the_apps_console_logging_off_the_data_channel_on_the_newest_EF_Core_10_patch()
    {
        var project = ShapeFixtures.WebAppData;
        var web = ShapeFixtures.WebAppWeb;
        FixtureProjects.EnsureBuilt(web);
        using var session = ToolSession.Create(project, output);
        session.InProcess = false; // the app's own host and EF Core version: the tool's inner process

        var apply = session.Run("apply", "-s", web.ProjectPath);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(project.MigrationIds, Pg.History(session.ConnectionString));
        Assert.DoesNotContain("info:", apply.Output); // EF Core's "info: Microsoft.EntityFrameworkCore.Database.Command" lines
        Assert.DoesNotContain("Web app starting", apply.Output);
        Assert.Contains($"Applying {project.MigrationIds[0]} ... done", apply.StdErr);

        // --json: stdout is one JSON document whatever the app logs.
        var status = session.Run("status", "--json", "-s", web.ProjectPath);
        Assert.True(status.ExitCode == 0, status.Describe());
        var json = ToolSession.Json(status);
        Assert.Equal("WebAppStartup.Data.CatalogContext", json.GetProperty("context").GetString());
        Assert.Equal("applied", json.GetProperty("migrations")[0].GetProperty("status").GetString());

        // --verbose: the app's own output goes to stderr, never stdout.
        var verbose = session.Run("status", "--json", "-v", "-s", web.ProjectPath);
        Assert.True(verbose.ExitCode == 0, verbose.Describe());
        _ = ToolSession.Json(verbose);
        Assert.Contains("Web app starting in Development.", verbose.StdErr);
        Assert.Contains("info: Microsoft.EntityFrameworkCore", verbose.StdErr);

        // --prefix-output, as dotnet ef: every line carries its level.
        var prefixed = session.Run("status", "--prefix-output", "-s", web.ProjectPath);
        Assert.True(prefixed.ExitCode == 0, prefixed.Describe());
        var dataLines = Lines(prefixed.StdOut);
        Assert.NotEmpty(dataLines);
        Assert.All(dataLines, line => Assert.StartsWith("data:    ", line));
        Assert.Contains(dataLines, line => line.Contains(project.MigrationIds[0], StringComparison.Ordinal));
        Assert.All(Lines(prefixed.StdErr), line => Assert.Matches("^(info|warn|error|verbose):", line));
    }

    [Fact]
    public void Arguments_after_a_double_dash_reach_the_apps_host()
    {
        var project = ShapeFixtures.WebAppData;
        var web = ShapeFixtures.WebAppWeb;
        FixtureProjects.EnsureBuilt(web);
        using var session = ToolSession.Create(project, output);
        session.InProcess = false; // the app's own host and EF Core version: the tool's inner process
        using var production = session.CreateExtraDatabase();
        var environment = new Dictionary<string, string?> { ["ConnectionStrings__Production"] = production.ConnectionString };

        // Web's Program.cs reads ConnectionStrings:Production in the Production environment.
        var apply = ShapeFixtures.RunTool(session, environment,
            "apply", "-p", project.ProjectPath, "-s", web.ProjectPath, "--no-build", "--configuration", FixtureProjects.Configuration, "--no-color", "--backup-dir", session.BackupDir, "--", "--environment", "Production");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(project.MigrationIds, Pg.History(production.ConnectionString));
        Assert.Empty(Pg.History(session.ConnectionString));

        var unknownRuntime = ShapeFixtures.RunTool(session, environment,
            "status", "-p", project.ProjectPath, "-s", web.ProjectPath, "--no-color", "--runtime", "no-such-rid");
        Assert.Equal(2, unknownRuntime.ExitCode); // --runtime reaches the build (an unknown RID fails it)
        Assert.Contains("no-such-rid", unknownRuntime.StdErr);
    }

    [Fact]
    public void Worker_with_two_contexts_names_them_and_applies_each_with_context()
    {
        var project = ShapeFixtures.WorkerTwoContexts;
        using var session = ToolSession.Create(project, output);
        session.InProcess = false; // the app's own host and EF Core version: the tool's inner process

        var ambiguous = session.Run("status");
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("AuditContext, OrdersContext", ambiguous.StdErr);
        Assert.Contains("--context", ambiguous.StdErr);

        var orders = project.Id("InitialOrders");
        var audit = project.Id("InitialAudit");
        foreach (var (context, id) in new[] { ("OrdersContext", orders), ("AuditContext", audit) })
        {
            var apply = session.Run("apply", "--context", context);
            Assert.True(apply.ExitCode == 0, apply.Describe());
            Assert.DoesNotContain("info:", apply.Output);
            Assert.Contains($"Applying {id} ... done", apply.StdErr);
        }

        Assert.Equal([orders, audit], Pg.History(session.ConnectionString).Order(StringComparer.Ordinal).ToList());
        Assert.True(Pg.TableExists(session.ConnectionString, "Orders"));
        Assert.Equal(1L, Pg.Scalar(session.ConnectionString, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit' AND table_name = 'Entries'"));
        foreach (var (context, id) in new[] { ("OrdersContext", orders), ("AuditContext", audit) })
        {
            var status = session.Run("status", "--json", "--context", context);
            Assert.True(status.ExitCode == 0, status.Describe());
            var migrations = ToolSession.Json(status).GetProperty("migrations").EnumerateArray().ToList();
            Assert.Equal(id, Assert.Single(migrations).GetProperty("id").GetString()); // the other context's history row is not "unknown"
            Assert.Equal("applied", migrations[0].GetProperty("status").GetString());
        }
    }

    [Fact]
    public void App_on_EF_Core_9_gets_one_clear_error_naming_both_versions()
    {
        var project = ShapeFixtures.Ef9App;
        using var session = ToolSession.Create(project, output);
        session.InProcess = false; // the app's own host and EF Core version: the tool's inner process

        var status = session.Run("status");
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("EF Core 9.0.10 with Npgsql.EntityFrameworkCore.PostgreSQL 9.0.4", status.StdErr);
        Assert.Matches(@"built on EF Core 10\.0\.\d+:", status.StdErr);
        Assert.Contains("supports applications on EF Core 10.0.x with Npgsql.EntityFrameworkCore.PostgreSQL 10.0.x", status.StdErr);
        Assert.DoesNotContain("   at ", status.Output); // no stack trace
        Assert.Single(Lines(status.StdErr));
    }

    private static List<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
}
