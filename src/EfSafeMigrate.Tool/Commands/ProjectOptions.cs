using EfSafeMigrate.Tool.Configuration;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// The options every project command shares, named as <c>dotnet ef</c> names them. <c>--backup-dir</c> and
/// <c>--yes</c> are declared only by the commands that use them (<see cref="AddBackupDir"/>, <see cref="AddYes"/>),
/// so that each command's help lists only the options it takes.
/// </summary>
internal sealed class ProjectOptions
{
    private readonly CommandLineApplication _command;
    private BackupOptions? _backup;
    private CommandOption? _yes;

    private ProjectOptions(CommandLineApplication command)
    {
        _command = command;
        Project = command.Option("-p|--project <PROJECT>", "The project holding the migrations (file or folder). Default: the current folder.", CommandOptionType.SingleValue);
        StartupProject = command.Option("-s|--startup-project <PROJECT>", "The startup project (file or folder). Default: the migrations project.", CommandOptionType.SingleValue);
        Context = command.Option("-c|--context <DBCONTEXT>", "The DbContext to use (name or full name).", CommandOptionType.SingleValue);
        Configuration = command.Option("--configuration <CONFIGURATION>", "The build configuration. Default: Debug.", CommandOptionType.SingleValue);
        Framework = command.Option("--framework <FRAMEWORK>", "The target framework, for projects that target several.", CommandOptionType.SingleValue);
        Runtime = command.Option("--runtime <RUNTIME_IDENTIFIER>", "The runtime to build and run for (a runtime identifier such as linux-x64).", CommandOptionType.SingleValue);
        NoBuild = command.Option("--no-build", "Do not build the project; use its last build.", CommandOptionType.NoValue);
        Connection = command.Option("--connection <CONNECTION>", "The connection string; replaces the one the DbContext is configured with.", CommandOptionType.SingleValue);
        Verbose = command.Option("-v|--verbose", "Show verbose output.", CommandOptionType.NoValue);
        Json = command.Option("--json", "Write the result as JSON to stdout.", CommandOptionType.NoValue);
        NoColor = command.Option("--no-color", "Do not colourise output.", CommandOptionType.NoValue);
        PrefixOutput = command.Option("--prefix-output", "Prefix every output line with its level (data:, info:, warn:, error:, verbose:), as dotnet ef does.", CommandOptionType.NoValue);
        // "-- <arguments>" go to the application's host (CreateHostBuilder(args), WebApplication.CreateBuilder(args),
        // a design-time factory's CreateDbContext(args)), as with dotnet ef.
        command.AllowArgumentSeparator = true;
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
    public BackupOptions Backup => _backup ?? throw new InvalidOperationException($"The command '{_command.Name}' has no --backup-dir: declare it with AddBackupDir().");

    /// <summary>-y|--yes, on the commands that declared it with <see cref="AddYes"/>.</summary>
    /// <exception cref="InvalidOperationException">The command did not declare the option.</exception>
    public CommandOption Yes => _yes ?? throw new InvalidOperationException($"The command '{_command.Name}' has no --yes: declare it with AddYes().");

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
    public CommandOption StartupProject { get; }

    /// <summary>-c|--context</summary>
    public CommandOption Context { get; }

    /// <summary>--configuration</summary>
    public CommandOption Configuration { get; }

    /// <summary>--framework</summary>
    public CommandOption Framework { get; }

    /// <summary>--runtime</summary>
    public CommandOption Runtime { get; }

    /// <summary>--prefix-output</summary>
    public CommandOption PrefixOutput { get; }

    /// <summary>The arguments after <c>--</c>, for the application's host (empty when none were given).</summary>
    public IReadOnlyList<string> AppArguments => _command.RemainingArguments;

    /// <summary>--no-build</summary>
    public CommandOption NoBuild { get; }

    /// <summary>--connection</summary>
    public CommandOption Connection { get; }

    /// <summary>-v|--verbose</summary>
    public CommandOption Verbose { get; }

    /// <summary>--json</summary>
    public CommandOption Json { get; }

    /// <summary>--no-color</summary>
    public CommandOption NoColor { get; }

    /// <summary>Adds the options to a command.</summary>
    public static ProjectOptions Add(CommandLineApplication command) => new(command);

    /// <summary>The reporter these options ask for.</summary>
    public Reporter CreateReporter() => new(Json.HasValue(), NoColor.HasValue(), Verbose.HasValue(), PrefixOutput.HasValue());
}
