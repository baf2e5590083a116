using EfSafeMigrate.Tool.Configuration;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>The <c>dotnet safe-migrate</c> command tree.</summary>
internal static class RootCommand
{
    /// <summary>Every command, in the order help lists them, with the method that declares its options.</summary>
    private static readonly (string Name, Action<CommandLineApplication> Configure)[] Commands =
    [
        ("status", StatusCommand.Configure),
        ("plan", PlanCommand.Configure),
        ("lint", LintCommand.Configure),
        ("script", ScriptCommand.Configure),
        ("apply", ApplyCommand.Configure),
        ("rollback", RollbackCommand.Configure),
        ("backup", BackupCommand.Configure),
        ("rehearse", RehearseCommand.Configure),
        ("verify", VerifyCommand.Configure),
        ("history", HistoryCommand.Configure),
        ("repair", RepairCommand.Configure),
        ("check", CheckCommand.Configure),
        ("hash", HashCommand.Configure),
        ("add", AddCommand.Configure),
        ("remove", RemoveCommand.Configure),
        ("merge", MergeCommand.Configure),
        ("squash", SquashCommand.Configure),
        ("hook", HookCommand.Configure),
        ("init", InitCommand.Configure),
        ("config", ConfigCommand.Configure),
    ];

    /// <summary>Builds the command tree.</summary>
    /// <param name="helpOut">Where help and parsing hints go: stdout when help was asked for, stderr otherwise (so that stdout carries only data).</param>
    /// <param name="onlyCommand">
    /// When the arguments name a command and no help is asked for, only that command is declared:
    /// declaring all of them costs start-up time that a pre-commit hook's <c>check</c> should not pay.
    /// Null declares every command (for help, errors and suggestions).
    /// </param>
    /// <param name="invocation">The run's arguments and inner-process header; none (outer process, no arguments) when null.</param>
    /// <param name="environment">Reads the <c>SAFE_MIGRATE_*</c> variables of the configuration; the process's environment when null.</param>
    public static CommandLineApplication Create(TextWriter helpOut, string? onlyCommand = null, CommandInvocation? invocation = null, Func<string, string?>? environment = null)
    {
        var app = new RootApplication(invocation ?? new CommandInvocation([], null))
        {
            Name = "dotnet safe-migrate",
            FullName = "EfSafeMigrate: EF Core migrations made safe (verified backups, locks, fake-initial, plans)",
            Out = helpOut,
            Error = Console.Error,
        };
        app.HelpOption("-h|--help", inherited: true);
        app.VersionOption("--version", ToolInfo.Version);
        var selected = Commands.Any(c => c.Name == onlyCommand) ? Commands.Where(c => c.Name == onlyCommand) : Commands;
        foreach (var (name, configure) in selected)
        {
            app.Command(name, configure);
        }

        // safe-migrate.json and SAFE_MIGRATE_* give the options the command line left out (Configuration/).
        app.OnParsingComplete(result => ConfigurationDefaults.Apply(result.SelectedCommand, environment));
        app.OnExecute(() =>
        {
            app.ShowHelp();
            return ExitCodes.UsageError;
        });
        SetWriters(app, helpOut);
        return app;
    }

    // McMaster 2.3.0 gives every subcommand Console.Out; help and hints go where the root's go.
    private static void SetWriters(CommandLineApplication command, TextWriter helpOut)
    {
        command.Out = helpOut;
        command.Error = Console.Error;
        foreach (var sub in command.Commands)
        {
            SetWriters(sub, helpOut);
        }
    }
}
