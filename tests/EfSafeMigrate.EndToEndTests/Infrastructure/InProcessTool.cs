using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using EfSafeMigrate.Tool;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Projects;
using Npgsql;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// Runs the tool's command line inside the test process: the command logic of a test that does not need a process
/// (exit codes, output, files, the database) without the two process starts of every tool run, which cost about
/// 0.7 CPU-seconds each and were most of the suite's time. The outer side runs as the tool runs it (option parsing,
/// configuration, the build unless <c>--no-build</c>, the project's metadata); where the tool starts its inner process,
/// <see cref="Host"/> loads the application's own assemblies (the project references in its deps file) from its build
/// output into an <see cref="AssemblyLoadContext"/> of their own, shares EF Core, Npgsql and the tool with the test
/// process, and runs the same arguments with the same header (<see cref="InnerHostArguments"/>).
/// <para>
/// A run sets what a process would have of its own: the working directory, the environment variables it is given,
/// standard output and error (captured), an empty standard input. So runs take turns; each ends by closing the pooled
/// connections it opened, as a process's exit does. A run gives up its turn while the tool starts and waits for a build
/// (<see cref="EfSafeMigrate.Tool.Projects.DotNetCli.WaitScope"/>): the builds of one test process's runs, most of
/// their time, then overlap with the other runs (one build at a time, on warm worker nodes). What needs a real process stays one
/// (<see cref="ToolSession.Start(RunOptions, string[])"/>, runs with a timeout shorter than the default, the classes that
/// set <see cref="ToolSession.InProcess"/> to false): signals and kills, the packed tool's start, the connection string
/// hand-over, prompts on a terminal. Two test processes run two of these at once (build/test.sh).
/// </para>
/// <para>
/// A run gets the environment of <see cref="RunningProcess.ChildEnvironment"/> too, as a process of the tool would (the
/// run's build servers, <see cref="BuildServers"/>): the test host's own is VSTest's.
/// </para>
/// </summary>
public static class InProcessTool
{
    // One run has the process at a time. A semaphore, not a lock: a turn given up while the tool waits for a child may be
    // given up and taken again on another thread than the one that took it first (the tool's code may run after an await).
    private static readonly SemaphoreSlim Gate = new(1, 1);

    // One child of the tool (a build) at a time in the test process, while the other runs go on: builds side by side
    // found the MSBuild worker nodes busy and started nodes of their own, each cold (measured in CI: 618 CPU-s in all
    // instead of 551, and a slower run).
    private static readonly SemaphoreSlim Children = new(1, 1);

    // Guards the process's environment while a run changes it, and what the changed variables were before the run.
    private static readonly Lock EnvironmentLock = new();
    /// <summary>The whole environment as it was before the in-process run under way (null when none is): what a process sees.</summary>
    private static Dictionary<string, string>? _outside;

    /// <summary>
    /// False when SAFE_MIGRATE_E2E_IN_PROCESS is <c>0</c>: every tool run is then a process of the packed tool, as all
    /// were before (to check that the in-process runs prove the same).
    /// </summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("SAFE_MIGRATE_E2E_IN_PROCESS") != "0";

    /// <summary>Runs <paramref name="arguments"/> (the tool's, without the program name) in <paramref name="workingDirectory"/>.</summary>
    /// <param name="environment">Variables set for the run and restored after it; a null value removes the variable for the run.
    /// Processes other tests start meanwhile do not see them (<see cref="TakeEnvironment"/>).</param>
    /// <returns>What a process would have left: exit code, stdout, stderr, duration. An exception the tool does not handle
    /// (a process would crash) gives exit code 134 (SIGABRT, as the .NET runtime ends) and the exception on stderr.</returns>
    public static ProcessResult Run(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        // What RunningProcess.Start gives every process of the tool (the build servers for the builds the tool starts),
        // then the run's own.
        var variables = RunningProcess.ChildEnvironment();
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        var run = new RunState(workingDirectory, variables);
        var clock = Stopwatch.StartNew();
        run.TakeTurn();
        int exitCode;
        try
        {
            // While the tool waits for a child it started (a build), another run may use the process (DotNetCli.WaitScope).
            EfSafeMigrate.Tool.Projects.DotNetCli.WaitScope.Value = run.GiveUpTurnWhileWaiting;
            try
            {
                exitCode = CommandLine.Execute([.. arguments], inner: null, Host.Instance);
            }
            catch (Exception e)
            {
                run.Stderr.WriteLine($"Unhandled exception. {e}");
                exitCode = 134;
            }
        }
        finally
        {
            EfSafeMigrate.Tool.Projects.DotNetCli.WaitScope.Value = null;
            // Within the turn: the pools are the process's, and the next run must not find this run's connections.
            NpgsqlConnection.ClearAllPools();
            run.EndTurn();
        }

        clock.Stop();
        // A run waits while another one has the process's environment and console; the log line says how long.
        var waited = run.Waited.TotalSeconds >= 0.1 ? $"   # waited {run.Waited.TotalSeconds:0.0} s for other in-process runs" : string.Empty;
        var commandLine = RunningProcess.MaskPasswords("(in process) dotnet-safe-migrate " + string.Join(' ', arguments)) + waited;
        return new ProcessResult(commandLine, exitCode, run.Stdout.ToString(), run.Stderr.ToString(), clock.Elapsed, TimedOut: false);
    }

    /// <summary>
    /// What a run has of its own while it has its turn (<see cref="Gate"/>): the process's environment, working directory
    /// and console. A turn is taken at the start, given up while the tool waits for a child process it started (a
    /// build: the child has its environment and folder by then, and the wait reads only the child's output) and taken
    /// again after it, and ended at the end. Giving up saves what the run has (the tool may have set variables: EF Core
    /// Design sets DOTNET_ENVIRONMENT) and puts back what the process had; taking it again puts the run's back.
    /// </summary>
    private sealed class RunState(string workingDirectory, IReadOnlyDictionary<string, string?> variables)
    {
        private readonly Stopwatch _waiting = new();
        private Dictionary<string, string>? _inside;
        private string _directory = workingDirectory;
        private Dictionary<string, string> _savedEnvironment = [];
        private string _savedDirectory = string.Empty;
        private (TextWriter Out, TextWriter Error, TextReader In) _savedConsole;

        public StringWriter Stdout { get; } = new();

        public StringWriter Stderr { get; } = new();

        /// <summary>How long the run waited for its turns, and for other runs' children to end.</summary>
        public TimeSpan Waited => _waiting.Elapsed;

        /// <summary>Waits for the turn, then gives the process the run's environment, working directory and console.</summary>
        public void TakeTurn()
        {
            _waiting.Start();
            Gate.Wait();
            _waiting.Stop();
            lock (EnvironmentLock)
            {
                // All of it, so that what the run (or the tool) sets can be taken away again.
                _savedEnvironment = CurrentEnvironment();
                if (_inside is null)
                {
                    foreach (var (name, value) in variables)
                    {
                        Environment.SetEnvironmentVariable(name, value);
                    }
                }
                else
                {
                    SetEnvironment(_inside);
                }

                _outside = _savedEnvironment;
            }

            _savedDirectory = Environment.CurrentDirectory;
            _savedConsole = (Console.Out, Console.Error, Console.In);
            Environment.CurrentDirectory = _directory;
            Console.SetOut(Stdout);
            Console.SetError(Stderr);
            Console.SetIn(TextReader.Null);
        }

        /// <summary>Saves what the run has, puts back what the process had, and lets another run take its turn.</summary>
        public void EndTurn()
        {
            try
            {
                Console.SetOut(_savedConsole.Out);
                Console.SetError(_savedConsole.Error);
                Console.SetIn(_savedConsole.In);
                _directory = Environment.CurrentDirectory;
                Environment.CurrentDirectory = _savedDirectory;
                lock (EnvironmentLock)
                {
                    _inside = CurrentEnvironment();
                    SetEnvironment(_savedEnvironment);
                    _outside = null;
                }
            }
            finally
            {
                Gate.Release();
            }
        }

        /// <summary>
        /// For <see cref="EfSafeMigrate.Tool.Projects.DotNetCli.WaitScope"/>: ends the turn and waits until no other run's
        /// child runs; on dispose, takes the turn again.
        /// </summary>
        public IDisposable GiveUpTurnWhileWaiting()
        {
            EndTurn();
            _waiting.Start();
            Children.Wait();
            _waiting.Stop();
            return new Resume(this);
        }

        private sealed class Resume(RunState run) : IDisposable
        {
            public void Dispose()
            {
                Children.Release();
                run.TakeTurn();
            }
        }
    }

    // Makes the process's environment exactly `environment` (called under EnvironmentLock).
    private static void SetEnvironment(Dictionary<string, string> environment)
    {
        foreach (var name in CurrentEnvironment().Keys.Where(name => !environment.ContainsKey(name)))
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>
    /// Materializes a child process's environment as it is outside the running in-process run: the environment as it was
    /// before the run, so that a process another test starts meanwhile never sees what the run set.
    /// </summary>
    public static void TakeEnvironment(System.Diagnostics.ProcessStartInfo info)
    {
        lock (EnvironmentLock)
        {
            if (_outside is null)
            {
                return;
            }

            var environment = info.Environment;
            foreach (var name in environment.Keys.Where(name => !_outside.ContainsKey(name)).ToList())
            {
                environment.Remove(name);
            }

            foreach (var (name, value) in _outside)
            {
                environment[name] = value;
            }
        }
    }

    private static Dictionary<string, string> CurrentEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => (string)entry.Value!, StringComparer.Ordinal);

    /// <summary>The in-process inner host: the application's assemblies in a load context of their own, the rest shared.</summary>
    private sealed class Host : IInnerHost
    {
        public static readonly Host Instance = new();

        public int Run(ProjectMetadata startup, InnerHostArguments header, IReadOnlyList<string> userArguments, bool verbose)
        {
            if (verbose)
            {
                Console.Error.WriteLine($"Running the tool inside '{startup.AssemblyName}' in the test process ({startup.TargetDir}).");
            }

            using (AppLoadContext.For(startup, header.Assembly).EnterContextualReflection())
            {
                return CommandLine.Execute([.. userArguments], header, this);
            }
        }
    }

    /// <summary>
    /// The application's own assemblies loaded from its build output: the startup and migrations assemblies, and the
    /// deps file's other project libraries that the test process does not have (the tool's libraries, e.g. EfSafeMigrate
    /// referenced for <c>UseSafeMigrate()</c>, are shared, as the inner process shares them). Everything else (EF Core,
    /// Npgsql, the framework) comes from the test process, and what the test process lacks from the build output.
    /// <para>
    /// One per build: a rebuilt assembly gets a new context. The runtime keeps one image per path string for the
    /// process's life (CoreCLR's PEImage cache), so a rebuilt assembly loaded again from the same path would be the old
    /// one. Each later build of a folder is therefore loaded through a path of its own that names the same file
    /// (<c>&lt;TargetDir&gt;/./Shop.dll</c>, <c>&lt;TargetDir&gt;/././Shop.dll</c>, ...): its folder is still the build output,
    /// where the tool keeps its caches.
    /// </para>
    /// </summary>
    private sealed class AppLoadContext : AssemblyLoadContext
    {
        private static readonly Dictionary<string, AppLoadContext> Contexts = [];
        private static readonly Dictionary<string, int> Builds = [];

        private static readonly Lazy<HashSet<string>> TestProcessAssemblies = new(() =>
            ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase));

        private readonly string _folder;
        private readonly HashSet<string> _own;

        private AppLoadContext(string targetDir, int build, HashSet<string> own)
            : base($"app {targetDir} build {build}")
        {
            _folder = Path.Join(targetDir, string.Concat(Enumerable.Repeat("./", build)));
            _own = own;
            Resolving += (context, name) =>
                File.Exists(Path.Combine(targetDir, name.Name + ".dll")) ? context.LoadFromAssemblyPath(Path.Combine(targetDir, name.Name + ".dll")) : null;
        }

        /// <summary>The context of the startup project's current build (called under <see cref="Gate"/>).</summary>
        public static AppLoadContext For(ProjectMetadata startup, string migrationsAssembly)
        {
            var own = ProjectLibraries(startup.DepsFile);
            own.ExceptWith(TestProcessAssemblies.Value);
            own.Add(startup.AssemblyName);
            own.Add(migrationsAssembly);
            var key = string.Join('|', own.Order(StringComparer.Ordinal).Select(name => Path.Combine(startup.TargetDir, name + ".dll"))
                .Select(path => File.Exists(path) ? $"{path}@{File.GetLastWriteTimeUtc(path).Ticks}:{new FileInfo(path).Length}" : path));
            if (!Contexts.TryGetValue(key, out var context))
            {
                var build = Builds.GetValueOrDefault(startup.TargetDir);
                Builds[startup.TargetDir] = build + 1;
                context = Contexts[key] = new AppLoadContext(startup.TargetDir, build, own);
            }

            return context;
        }

        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name is { } name && _own.Contains(name) && File.Exists(Path.Combine(_folder, name + ".dll"))
                ? LoadFromAssemblyPath(Path.Combine(_folder, name + ".dll"))
                : null;

        /// <summary>The names of the libraries of type <c>project</c> in a deps file (the app and its project references).</summary>
        private static HashSet<string> ProjectLibraries(string depsFile)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(depsFile));
            return document.RootElement.GetProperty("libraries").EnumerateObject()
                .Where(library => library.Value.TryGetProperty("type", out var type) && type.GetString() == "project")
                .Select(library => library.Name.Split('/')[0])
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }
    }
}
