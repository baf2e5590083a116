using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Projects;

/// <summary>The fixture projects of the project shapes <c>dotnet ef</c> handles (tests/Fixtures), one per shape.</summary>
public static class ShapeFixtures
{
    private static string Fixture(params string[] parts) => Path.Combine([RepoPaths.Root, "tests", "Fixtures", .. parts]);

    /// <summary>A net10.0 class library (context, design-time factory, migrations) as its own startup project; EF Core 10.0.0, Npgsql 10.0.0.</summary>
    public static FixtureProject LibraryStartup => Project(Fixture("LibraryStartup", "LibraryStartup.csproj"));

    /// <summary>WebAppStartup/Data: the context and migrations, no factory; EF Core 10.0.15, Npgsql 10.0.3.</summary>
    public static FixtureProject WebAppData => Project(Fixture("WebAppStartup", "Data", "Data.csproj"));

    /// <summary>WebAppStartup/Web: the WebApplication startup project of <see cref="WebAppData"/>, EF Core logging on at Information.</summary>
    public static FixtureProject WebAppWeb => new(Fixture("WebAppStartup", "Web", "Web.csproj"), []);

    /// <summary>A Host.CreateApplicationBuilder worker with two contexts (OrdersContext; AuditContext in schema "audit").</summary>
    public static FixtureProject WorkerTwoContexts => Project(Fixture("WorkerTwoContexts", "WorkerTwoContexts.csproj"));

    /// <summary>An application on EF Core 9.0.10 and Npgsql 9.0.4, running on .NET 10.</summary>
    public static FixtureProject Ef9App => new(Fixture("Ef9App", "Ef9App.csproj"), []);

    private static FixtureProject Project(string path) => new(path, FixtureProjects.ReadMigrationIds(Path.GetDirectoryName(path)!));

    /// <summary>
    /// Runs the installed tool in the session's folder with exactly <paramref name="arguments"/> (no options added) and
    /// the given environment variables besides ConnectionStrings__Shop (the session's database).
    /// </summary>
    public static ProcessResult RunTool(ToolSession session, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?> { ["ConnectionStrings__Shop"] = session.ConnectionString };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        using var process = RunningProcess.Start(ToolInstallation.Executable, arguments, session.WorkDir, variables);
        var result = process.WaitForExit(TimeSpan.FromMinutes(3));
        session.Log(result);
        return result;
    }
}
