using EfSafeMigrate.Tool.Configuration;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>What a command that never builds the project takes besides <c>-p|--project</c> and the output options.</summary>
[Flags]
internal enum LocalOptions
{
    /// <summary>Nothing more.</summary>
    None = 0,

    /// <summary><c>--connection</c> (a database reached without the application).</summary>
    Connection = 1,

    /// <summary><c>-s|--startup-project</c> and <c>-c|--context</c>.</summary>
    StartupAndContext = 2,
}

/// <summary>
/// The options project commands share, named as <c>dotnet ef</c> names them. <see cref="Add"/> declares them all (for the
/// commands that build and load the project); <see cref="AddLocal"/> only <c>-p|--project</c> and the output options (for
/// commands that read files only; the build options do not apply there). <c>--backup-dir</c> and <c>--yes</c> are declared
/// only by the commands that use them (<see cref="AddBackupDir"/>, <see cref="AddYes"/>), so that each command's help lists
/// only the options it takes. Reading an option the command did not declare throws <see cref="InvalidOperationException"/>.
/// </summary>
internal sealed class ProjectOptions
{
    private readonly CommandLineApplication _command;
    private readonly CommandOption? _startupProject;
    private readonly CommandOption? _context;
    private readonly CommandOption? _configuration;
    private readonly CommandOption? _framework;
    private readonly CommandOption? _runtime;
    private readonly CommandOption? _noBuild;
    private readonly CommandOption? _connection;
    private BackupOptions? _backup;
    private CommandOption? _yes;

    private ProjectOptions(CommandLineApplication command, bool build, LocalOptions local)
    {
        _command = command;
        Project = command.Option("-p|--project <PROJECT>", "The project holding the migrations (file or folder). Default: project of safe-migrate.json, else the current folder.", CommandOptionType.SingleValue);
        if (build || local.HasFlag(LocalOptions.StartupAndContext))
        {
            _startupProject = command.Option("-s|--startup-project <PROJECT>", "The startup project (file or folder). Default: the migrations project.", CommandOptionType.SingleValue);
            _context = command.Option("-c|--context <DBCONTEXT>", "The DbContext to use (name or full name).", CommandOptionType.SingleValue);
        }

        if (build)
        {
            _configuration = command.Option("--configuration <CONFIGURATION>", "The build configuration. Default: Debug.", CommandOptionType.SingleValue);
            _framework = command.Option("--framework <FRAMEWORK>", "The target framework, for projects that target several.", CommandOptionType.SingleValue);
            _runtime = command.Option("--runtime <RUNTIME_IDENTIFIER>", "The runtime to build and run for (a runtime identifier such as linux-x64).", CommandOptionType.SingleValue);
            _noBuild = command.Option("--no-build", "Do not build the project; use its last build.", CommandOptionType.NoValue);
        }

        if (build || local.HasFlag(LocalOptions.Connection))
        {
            _connection = command.Option("--connection <CONNECTION>", "The connection string; replaces the one the DbContext is configured with. Default: SAFE_MIGRATE_CONNECTION.", CommandOptionType.SingleValue);
        }

        Verbose = command.Option("-v|--verbose", "Show verbose output.", CommandOptionType.NoValue);
        Json = command.Option("--json", "Write the result as JSON to stdout.", CommandOptionType.NoValue);
        NoColor = command.Option("--no-color", "Do not colourise output.", CommandOptionType.NoValue);
        PrefixOutput = command.Option("--prefix-output", "Prefix every output line with its level (data:, info:, warn:, error:, verbose:), as dotnet ef does.", CommandOptionType.NoValue);

        // "-- <arguments>" go to the application's host (CreateHostBuilder(args), WebApplication.CreateBuilder(args),
        // a design-time factory's CreateDbContext(args)), as with dotnet ef.
        command.AllowArgumentSeparator = build;
    }

    /// <summary>The run these options belong to (its arguments, and the inner-process header).</summary>
    public CommandInvocation Invocation => CommandInvocation.Of(_command);

    /// <summary>The arguments the inner process runs: the typed ones and the options the configuration gave (<see cref="ConfigurationDefaults.ArgumentsFor"/>).</summary>
    public IReadOnlyList<string> InnerArguments => ConfigurationDefaults.ArgumentsFor(_command, Invocation.Arguments);

    /// <summary>The settings in effect for this run (defaults, <c>safe-migrate.json</c>, environment, command line), each with its source.</summary>
    /// <exception cref="CommandException">The configuration file or an environment variable is invalid (exit 2).</exception>
    public EffectiveConfiguration Settings => ConfigurationDefaults.For(_command);

    /// <summary>--backup-dir (the folder backups are written to and read from), on the commands that declared it with <see cref="AddBackupDir"/>.</summary>
    /// <exception cref="InvalidOperationException">The command did not declare the option.</exception>
    public BackupOptions Backup => _backup ?? throw NotDeclared("--backup-dir");

    /// <summary>-y|--yes, on the commands that declared it with <see cref="AddYes"/>.</summary>
    /// <exception cref="InvalidOperationException">The command did not declare the option.</exception>
    public CommandOption Yes => _yes ?? throw NotDeclared("--yes");

    /// <summary>Whether the command takes <c>--backup-dir</c>.</summary>
    public bool HasBackupDir => _backup is not null;

    /// <summary>Declares <c>--backup-dir</c> on the command (once; later calls change nothing). For commands that write or read backups.</summary>
    public ProjectOptions AddBackupDir()
    {
        _backup ??= BackupOptions.Add(_command);
        return this;
    }

    /// <summary>Declares <c>-y|--yes</c> on the command (once). For commands that ask for confirmation.</summary>
    public ProjectOptions AddYes()
    {
        _yes ??= _command.Option("-y|--yes", "Answer yes to confirmations. Without it, the command never prompts when input is not a terminal: it exits 3.", CommandOptionType.NoValue);
        return this;
    }

    /// <summary>-p|--project</summary>
    public CommandOption Project { get; }

    /// <summary>-s|--startup-project</summary>
    public CommandOption StartupProject => _startupProject ?? throw NotDeclared("--startup-project");

    /// <summary>-c|--context</summary>
    public CommandOption Context => _context ?? throw NotDeclared("--context");

    /// <summary>--configuration</summary>
    public CommandOption Configuration => _configuration ?? throw NotDeclared("--configuration");

    /// <summary>--framework</summary>
    public CommandOption Framework => _framework ?? throw NotDeclared("--framework");

    /// <summary>--runtime</summary>
    public CommandOption Runtime => _runtime ?? throw NotDeclared("--runtime");

    /// <summary>--prefix-output</summary>
    public CommandOption PrefixOutput { get; }

    /// <summary>The arguments after <c>--</c>, for the application's host (empty when none were given).</summary>
    public IReadOnlyList<string> AppArguments => _command.RemainingArguments;

    /// <summary>--no-build</summary>
    public CommandOption NoBuild => _noBuild ?? throw NotDeclared("--no-build");

    /// <summary>--connection</summary>
    public CommandOption Connection => _connection ?? throw NotDeclared("--connection");

    /// <summary>-v|--verbose</summary>
    public CommandOption Verbose { get; }

    /// <summary>--json</summary>
    public CommandOption Json { get; }

    /// <summary>--no-color</summary>
    public CommandOption NoColor { get; }

    /// <summary>Adds the options of a command that builds and loads the project (all of them).</summary>
    public static ProjectOptions Add(CommandLineApplication command) => new(command, build: true, LocalOptions.None);

    /// <summary>Adds the options of a command that never builds: <c>-p|--project</c>, the output options and <paramref name="local"/>.</summary>
    public static ProjectOptions AddLocal(CommandLineApplication command, LocalOptions local = LocalOptions.None) => new(command, build: false, local);

    private InvalidOperationException NotDeclared(string option) => new($"The command '{_command.Name}' does not take {option}.");

    /// <summary>The reporter these options ask for.</summary>
    public Reporter CreateReporter() => new(Json.HasValue(), NoColor.HasValue(), Verbose.HasValue(), PrefixOutput.HasValue());
}
