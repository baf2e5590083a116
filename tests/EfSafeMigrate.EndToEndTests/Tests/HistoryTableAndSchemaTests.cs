using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// EF Core's configured history table and the model's schemas, everywhere (issue 9, item 7): tests/Fixtures/ShopWithCustomHistory
/// keeps its tables in schema <c>shop</c> (<c>HasDefaultSchema</c>) and its history in <c>meta.migrations_history</c>
/// (<c>MigrationsHistoryTable(name, schema)</c>); the sample run with <c>Search Path=app</c> keeps everything in <c>app</c>.
/// </summary>
public class HistoryTableAndSchemaTests(ITestOutputHelper output)
{
    private static FixtureProject CustomHistory => new(
        Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithCustomHistory", "ShopWithCustomHistory.csproj"),
        FixtureProjects.ReadMigrationIds(Path.Combine(RepoPaths.Root, "tests", "Fixtures", "ShopWithCustomHistory")));

    [Fact]
    public void Apply_status_plan_check_and_verify_use_the_configured_history_table_and_the_models_schema()
    {
        var project = CustomHistory;
        using var session = ToolSession.Create(project, output);
        var cs = session.ConnectionString;

        var apply = session.Run("apply");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(project.MigrationIds, MetaHistory(cs));
        var tables = AllTables(cs);
        Assert.Equal(["shop.Categories", "shop.Customers", "shop.OrderLines", "shop.Orders", "shop.Products"], tables.Where(t => t.StartsWith("shop.", StringComparison.Ordinal)));
        Assert.Contains("meta.__SafeMigrateJournal", tables); // the journal sits beside EF Core's history table
        Assert.DoesNotContain(tables, t => t.StartsWith("public.", StringComparison.Ordinal));
        Assert.Equal(project.MigrationIds.Select(id => (id, "applied")), session.Status().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value)));

        var plan = session.Run("plan");
        Assert.True(plan.ExitCode == 0, plan.Describe());
        Assert.Contains("Nothing to do", plan.Output);

        var check = session.Run("check", "--database");
        Assert.True(check.ExitCode == 0, check.Describe());

        var verify = session.Run("verify");
        Assert.True(verify.ExitCode == 0, verify.Describe());
        Assert.Contains("No drift", verify.Output);

        var history = session.Run("history");
        Assert.True(history.ExitCode == 0, history.Describe());
        Assert.Contains(project.Last, history.Output);
    }

    [Fact]
    public void Fake_initial_fakes_the_initial_migration_on_tables_its_script_made_in_the_models_schema()
    {
        var project = CustomHistory;
        using var session = ToolSession.Create(project, output);
        var cs = session.ConnectionString;
        RunScript(session, project.MigrationIds[0], cs);
        Pg.Execute(cs, """DROP TABLE meta.migrations_history; INSERT INTO shop."Customers" ("FullName", "Email") VALUES ('Grace Hopper', 'grace@example.org');""");

        var apply = session.Run("apply", "--fake-initial");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains($"FAKED {project.MigrationIds[0]}", apply.Output);
        Assert.Contains($"Applying {project.Last} ... done", apply.Output);
        Assert.Equal(project.MigrationIds, MetaHistory(cs));
        Assert.Equal("character varying(200)", Pg.Scalar(cs, """SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'shop."Customers"'::regclass AND attname = 'FullName'"""));
        Assert.Equal(1L, Pg.Scalar(cs, """SELECT count(*) FROM shop."Customers" WHERE "FullName" = 'Grace Hopper'"""));
        Assert.DoesNotContain(AllTables(cs), t => t.StartsWith("public.", StringComparison.Ordinal));
        Assert.Contains("meta.__SafeMigrateJournal", AllTables(cs));
    }

    [Fact]
    public void Fake_initial_refusal_does_not_count_the_configured_history_table_and_names_the_matching_migration()
    {
        var project = CustomHistory;
        using var session = ToolSession.Create(project, output);
        var cs = session.ConnectionString;
        RunScript(session, project.Last, cs);
        Pg.Execute(cs, "DELETE FROM meta.migrations_history"); // the history table exists, empty

        var apply = session.Run("apply", "--fake-initial");

        Assert.True(apply.ExitCode == 1, apply.Describe());
        Assert.Contains("\"shop\".\"Customers\".\"FullName\"", apply.Output);
        Assert.Contains($"apply --fake {project.Last}", apply.Output);
        Assert.Empty(MetaHistory(cs));
    }

    [Fact]
    public void Fake_initial_finds_the_tables_in_the_first_schema_of_the_connections_search_path()
    {
        var project = FixtureProjects.Shop;
        using var session = ToolSession.Create(project, output);
        Pg.Execute(session.ConnectionString, "CREATE SCHEMA app");
        var app = new NpgsqlConnectionStringBuilder(session.ConnectionString) { SearchPath = "app" }.ConnectionString;
        var options = new RunOptions { EnvironmentConnection = app };
        RunScript(session, project.MigrationIds[0], app, options);
        Pg.Execute(app, "DROP TABLE app.\"__EFMigrationsHistory\"");

        var apply = session.Run(options, "apply", "--fake-initial");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Contains($"FAKED {project.MigrationIds[0]}", apply.Output);
        Assert.Equal(project.MigrationIds, Pg.Strings(app, "SELECT \"MigrationId\" FROM app.\"__EFMigrationsHistory\" ORDER BY 1"));
        Assert.DoesNotContain(AllTables(app), t => t.StartsWith("public.", StringComparison.Ordinal));
        Assert.Contains("app.Orders", AllTables(app));
    }

    /// <summary>The tool's <c>script 0 &lt;to&gt;</c>, run on the database through <paramref name="connectionString"/> (its search_path).</summary>
    private static void RunScript(ToolSession session, string to, string connectionString, RunOptions? options = null)
    {
        var file = Path.Combine(session.WorkDir, "script.sql");
        var script = session.Run(options ?? RunOptions.Default, "script", "0", to, "-o", file);
        Assert.True(script.ExitCode == 0, script.Describe());
        Pg.Execute(connectionString, File.ReadAllText(file));
    }

    private static List<string> MetaHistory(string cs) =>
        Pg.Strings(cs, "SELECT \"MigrationId\" FROM meta.migrations_history ORDER BY \"MigrationId\"");

    private static List<string> AllTables(string cs) =>
        Pg.Strings(cs, """
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY table_schema COLLATE "C", table_name COLLATE "C"
            """);
}
