namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// The build servers every child process of the tests uses: reused MSBuild worker nodes that build every project
/// (<c>MSBUILDNOINPROCNODE=1</c>, node reuse on) and the compiler server (VBCSCompiler, <c>UseSharedCompilation</c>).
/// A <c>dotnet build</c> of a copied sample then costs about 1.3 s of CPU in all, against 3.5 s or more in cold
/// processes. They were checked not to hold a caller's output pipes open: the nodes and the compiler server start
/// detached (parent: init), so a test that kills a process tree (<see cref="RunningProcess.KillTree"/>) never kills them,
/// and a build whose client is killed leaves nodes the next build can use (or replaces).
/// <para>
/// Not the MSBuild server (<c>DOTNET_CLI_USE_MSBUILD_SERVER</c>): in this SDK (10.0.4xx) it runs NuGet's
/// <c>RestoreTask</c> in a new task host process for every build (dotnet/msbuild#13315, #13660), about 0.65 s of the
/// 1.6 s of CPU that a build of the sample costs with it. Measured on 14 builds of fresh copies of samples/Shop, one
/// after another: 1.56–1.81 s of CPU each with the server, 1.24–1.38 s with worker nodes. An evaluation alone
/// (<c>dotnet msbuild -getProperty</c>, which the tool runs only without a build and without its metadata cache)
/// costs more without the server, 0.5 s against 0.3 s, and is rare.
/// </para>
/// </summary>
/// <remarks>
/// The servers are private to one test run: MSBuild's nodes take <c>MSBUILDNODEHANDSHAKESALT</c> into their
/// handshake and pipe name, and the C# compiler takes its pipe name from the MSBuild property <c>SharedCompilationId</c>
/// (read from the environment), so a run neither uses nor stops another run's (or another user's) servers.
/// build/test.sh chooses the id (<see cref="IdVariable"/>) for the whole run, builds the solution with the same compiler
/// server and shuts everything down at its end (<c>dotnet build-server shutdown --msbuild</c> and
/// <c>VBCSCompiler -shutdown</c>); a test run started otherwise (<c>dotnet test</c>) gets an id of its own and leaves
/// its servers to their idle timeouts.
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
    /// test process MSBuild nodes of its own and one compiler server for the run), else <see cref="Id"/>.
    /// </summary>
    public static string CompilerId { get; } =
        Environment.GetEnvironmentVariable("SharedCompilationId") is { Length: > 0 } compiler ? compiler : Id;

    /// <summary>
    /// Variables a child process must not inherit from the test host: <c>dotnet test</c> (VSTest) sets
    /// <c>MSBUILDENSURESTDOUTFORTASKPROCESSES</c>, which is meant for its own build, not the tool's. With the servers on,
    /// <c>MSBUILDDISABLENODEREUSE</c> goes too.
    /// </summary>
    public static IReadOnlyList<string> Removed { get; } = Id == "none"
        ? ["MSBUILDENSURESTDOUTFORTASKPROCESSES"]
        : ["MSBUILDENSURESTDOUTFORTASKPROCESSES", "MSBUILDDISABLENODEREUSE"];

    /// <summary>
    /// Sets the variables for this run's build servers in a child process's environment, and <see cref="Removed"/> to
    /// null (removed); with <see cref="IdVariable"/> set to <c>none</c>, to use none (no reused nodes, no compiler
    /// server: every build in its own processes).
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
            environment["MSBUILDNOINPROCNODE"] = null;
            return;
        }

        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDNOINPROCNODE"] = "1";
        environment["UseSharedCompilation"] = "true";
        environment["MSBUILDNODEHANDSHAKESALT"] = Id;
        environment["SharedCompilationId"] = CompilerId;
        environment[IdVariable] = Id;
    }
}
