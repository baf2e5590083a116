namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The build servers every child process of the tests uses: the MSBuild server (<c>DOTNET_CLI_USE_MSBUILD_SERVER</c>),
/// reused MSBuild worker nodes and the compiler server (VBCSCompiler, <c>UseSharedCompilation</c>). They cut the cost of
/// each <c>dotnet msbuild -getProperty</c> the tool runs (about 0.4 s → 0.15 s of CPU in the client) and of each
/// <c>dotnet build</c> of a changed project (about 3.5 s → 0.2 s of client CPU), and were checked not to hold a
/// caller's output pipes open: the servers start detached (parent: init), so a test that kills a process tree
/// (<see cref="RunningProcess.KillTree"/>) never kills them, and a build whose client is killed leaves a server the
/// next build can use (or replaces).
/// </summary>
/// <remarks>
/// The servers are private to one test run: MSBuild's nodes and server take <c>MSBUILDNODEHANDSHAKESALT</c> into their
/// handshake and pipe name, and the C# compiler takes its pipe name from the MSBuild property <c>SharedCompilationId</c>
/// (read from the environment), so a run neither uses nor stops another run's (or another user's) servers.
/// build/test.sh chooses the id (<see cref="IdVariable"/>) for the whole run, builds the solution with the same servers
/// and shuts them down at its end (<c>dotnet build-server shutdown --msbuild</c> and <c>VBCSCompiler -shutdown</c>);
/// a test run started otherwise (<c>dotnet test</c>) gets an id of its own and leaves its servers to their idle timeouts.
/// </remarks>
public static class BuildServers
{
    /// <summary>The variable build/test.sh sets to the run's build server id.</summary>
    public const string IdVariable = "SAFE_MIGRATE_TEST_BUILD_SERVERS";

    /// <summary>This run's build server id (the MSBuild handshake salt and the compiler's pipe name).</summary>
    public static string Id { get; } =
        Environment.GetEnvironmentVariable(IdVariable) is { Length: > 0 } id
            ? id
            : $"safe-migrate-e2e-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// The compiler server's pipe name: <c>SharedCompilationId</c> when the test host has it (build/test.sh gives every
    /// test process MSBuild servers of its own and one compiler server for the run), else <see cref="Id"/>.
    /// </summary>
    public static string CompilerId { get; } =
        Environment.GetEnvironmentVariable("SharedCompilationId") is { Length: > 0 } compiler ? compiler : Id;

    /// <summary>
    /// Variables a child process must not inherit from the test host: <c>dotnet test</c> (VSTest) sets
    /// <c>MSBUILDENSURESTDOUTFORTASKPROCESSES</c>, and with it set the .NET CLI never uses the MSBuild server (checked:
    /// no <c>/nodemode:8</c> process starts; each <c>dotnet msbuild -getProperty</c> then costs about 0.95 s of CPU instead
    /// of 0.3 s). With the servers on, <c>MSBUILDDISABLENODEREUSE</c> goes too.
    /// </summary>
    public static IReadOnlyList<string> Removed { get; } = Id == "none"
        ? ["MSBUILDENSURESTDOUTFORTASKPROCESSES"]
        : ["MSBUILDENSURESTDOUTFORTASKPROCESSES", "MSBUILDDISABLENODEREUSE"];

    /// <summary>
    /// Sets the variables for this run's build servers in a child process's environment, and <see cref="Removed"/> to
    /// null (removed); with <see cref="IdVariable"/> set to <c>none</c>, to use none (no MSBuild server, no node reuse,
    /// no compiler server).
    /// </summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        foreach (var name in Removed)
        {
            environment[name] = null;
        }

        if (Id == "none")
        {
            environment["MSBUILDDISABLENODEREUSE"] = "1";
            environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            environment["UseSharedCompilation"] = "false";
            return;
        }

        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "1";
        environment["UseSharedCompilation"] = "true";
        environment["MSBUILDNODEHANDSHAKESALT"] = Id;
        environment["SharedCompilationId"] = CompilerId;
        environment[IdVariable] = Id;
    }
}
