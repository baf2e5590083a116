using System.Text.Json;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>How one tool invocation differs from the session's defaults.</summary>
public sealed record RunOptions
{
    public static readonly RunOptions Default = new();

    /// <summary>Let the tool build the project (no <c>--no-build</c>).</summary>
    public bool Build { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Overrides the session's backup folder.</summary>
    public string? BackupDir { get; init; }

    /// <summary>Passed as <c>--connection</c>.</summary>
    public string? Connection { get; init; }

    /// <summary>Overrides the value of ConnectionStrings__Shop (the design-time factory's connection string).</summary>
    public string? EnvironmentConnection { get; init; }

    /// <summary>More environment variables for the tool's process (e.g. <c>SAFE_MIGRATE_PGBACKREST</c>).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}

/// <summary>
/// One test's world: a fresh database, a project, a temporary working folder with a backup folder,
/// and the tool run as a process with the common options
/// <c>-p &lt;project&gt; --backup-dir &lt;dir&gt; --no-color [--no-build --configuration &lt;this test build's&gt;]</c>. The design-time factory gets
/// the database's connection string from ConnectionStrings__Shop.
/// </summary>
public sealed class ToolSession : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly List<IDisposable> _owned = [];

    private ToolSession(FixtureProject project, E2eDatabase database, ITestOutputHelper output)
    {
        Project = project;
        Database = database;
        _output = output;
        WorkDir = Path.Combine(Path.GetTempPath(), "safe-migrate-e2e", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(WorkDir);
        BackupDir = Path.Combine(WorkDir, "backups");
    }

    public FixtureProject Project { get; }

    public E2eDatabase Database { get; }

    /// <summary>The database's connection string for the test's own checks: unpooled (see <see cref="PostgresServer.ConnectionStringFor"/>).</summary>
    public string ConnectionString => Database.ConnectionString;

    /// <summary>
    /// What the tool gets in ConnectionStrings__Shop unless a run overrides it: <see cref="ConnectionString"/> with Npgsql's
    /// default pooling, as an application's connection string has it. A run's pool ends with the run (the process exits;
    /// an in-process run clears every pool), so no pooled session outlives it to hold a database a test drops.
    /// </summary>
    public string ToolConnectionString => new global::Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = true }.ConnectionString;

    public string DatabaseName => Database.Name;

    /// <summary>The process's working directory; deleted at the end.</summary>
    public string WorkDir { get; }

    /// <summary>Passed as <c>--backup-dir</c>: <c>&lt;WorkDir&gt;/backups</c>.</summary>
    public string BackupDir { get; }

    /// <summary>A session on a fresh database. The project is built first (once per test process) unless <paramref name="build"/> is false.</summary>
    public static ToolSession Create(FixtureProject project, ITestOutputHelper output, bool build = true)
    {
        if (build)
        {
            FixtureProjects.EnsureBuilt(project);
        }

        var database = E2eDatabase.Create();
        output.WriteLine($"database {database.Name}");
        return new ToolSession(project, database, output);
    }

    /// <summary>Another fresh database, dropped with the session.</summary>
    public E2eDatabase CreateExtraDatabase()
    {
        var database = E2eDatabase.Create();
        _owned.Add(database);
        return database;
    }

    public ProcessResult Run(params string[] arguments) => Run(RunOptions.Default, arguments);

    /// <summary>
    /// True (the default, unless <see cref="InProcessTool.Enabled"/> is false): <see cref="Run(RunOptions, string[])"/>
    /// runs the command inside the test process (<see cref="InProcessTool"/>) unless its timeout is shorter than the
    /// default (a run that may hang is a process, to kill). A class whose subject is the process itself (the app's
    /// host, another EF Core version) sets it to false.
    /// </summary>
    public bool InProcess { get; set; } = InProcessTool.Enabled;

    /// <summary>Runs the tool to its end: in the test process when <see cref="InProcess"/> allows it, otherwise as a process of the packed tool.</summary>
    public ProcessResult Run(RunOptions options, params string[] arguments)
    {
        ProcessResult result;
        if (InProcess && options.Timeout >= RunOptions.Default.Timeout)
        {
            result = InProcessTool.Run(Arguments(options, arguments), WorkDir, EnvironmentFor(options));
        }
        else
        {
            using var process = Start(options, arguments);
            result = process.WaitForExit(options.Timeout);
        }

        Log(result);
        return result;
    }

    public RunningProcess Start(params string[] arguments) => Start(RunOptions.Default, arguments);

    /// <summary>Starts the packed tool as a process (always: a started run is one to signal, kill or watch).</summary>
    public RunningProcess Start(RunOptions options, params string[] arguments) =>
        RunningProcess.Start(ToolInstallation.Executable, Arguments(options, arguments), WorkDir, EnvironmentFor(options));

    /// <summary>The tool's arguments with the session's common options.</summary>
    private List<string> Arguments(RunOptions options, string[] arguments)
    {
        var all = new List<string>(arguments) { "-p", Project.ProjectPath, "--no-color" };
        if (options.BackupDir is not null || UsesBackupFolder(arguments))
        {
            all.Add("--backup-dir");
            all.Add(options.BackupDir ?? BackupDir);
        }

        if (!options.Build && !NeverBuilds(arguments))
        {
            // The build EnsureBuilt made, in the configuration of this test build (the tool's default is Debug).
            all.Add("--no-build");
            all.Add("--configuration");
            all.Add(FixtureProjects.Configuration);
        }

        if (options.Connection is not null)
        {
            all.Add("--connection");
            all.Add(options.Connection);
        }

        return all;
    }

    /// <summary>The variables the tool's run gets on top of <see cref="RunningProcess.Start"/>'s.</summary>
    private Dictionary<string, string?> EnvironmentFor(RunOptions options)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Shop"] = options.EnvironmentConnection ?? ToolConnectionString,
        };
        foreach (var (name, value) in options.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>
    /// The commands that write or read the backup folder, which get <c>--backup-dir</c> (the other commands of the
    /// tool reject the option; see <c>CliContractTests</c>).
    /// </summary>
    public static bool UsesBackupFolder(IReadOnlyList<string> arguments) =>
        arguments.Count > 0 && (arguments[0] is "apply" or "rollback"
            || (arguments[0] == "backup" && arguments.Count > 1 && arguments[1] is "create" or "list" or "prune" or "restore"));

    /// <summary>The commands that read files only and take no build options (<c>--no-build</c>, <c>--configuration</c>; see <c>CliContractTests</c>).</summary>
    public static bool NeverBuilds(IReadOnlyList<string> arguments) =>
        arguments.Count > 0 && (arguments[0] == "hash"
            || (arguments[0] == "backup" && arguments.Count > 1 && arguments[1] is "list" or "verify" or "prune")
            || (arguments[0] == "config" && arguments.Count > 1 && arguments[1] == "show"));

    public void Log(ProcessResult result) => _output.WriteLine(result.Describe(8_000) + Environment.NewLine);

    public void Log(string message) => _output.WriteLine(message);

    /// <summary>The archives (<c>*.dump</c>) in a backup folder, oldest name first.</summary>
    public List<string> Archives(string? backupDir = null)
    {
        var dir = backupDir ?? BackupDir;
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.dump").Order(StringComparer.Ordinal).ToList()
            : [];
    }

    /// <summary>Parses stdout as JSON, failing the test with the whole output when it is not.</summary>
    public static JsonElement Json(ProcessResult result)
    {
        try
        {
            using var document = JsonDocument.Parse(result.StdOut);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({e.Message}):{Environment.NewLine}{result.Describe()}");
        }
    }

    /// <summary>Runs <c>status --json</c> and returns migration id → status.</summary>
    public Dictionary<string, string> Status()
    {
        var status = Run("status", "--json");
        Assert.True(status.ExitCode == 0, status.Describe());
        var json = Json(status);
        return json.GetProperty("migrations").EnumerateArray()
            .ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("status").GetString()!);
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        Database.Dispose();
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
