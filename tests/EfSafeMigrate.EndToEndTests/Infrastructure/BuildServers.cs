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
    /// Sets a child process's environment to use this run's build servers; with <see cref="IdVariable"/> set to
    /// <c>none</c>, to use none (no MSBuild server, no node reuse, no compiler server), as before build servers were used.
    /// </summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        if (Id == "none")
        {
            environment["MSBUILDDISABLENODEREUSE"] = "1";
            environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
            environment["UseSharedCompilation"] = "false";
            return;
        }

        environment.Remove("MSBUILDDISABLENODEREUSE");
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "1";
        environment["UseSharedCompilation"] = "true";
        environment["MSBUILDNODEHANDSHAKESALT"] = Id;
        environment["SharedCompilationId"] = Id;
        environment[IdVariable] = Id;
    }
}
