using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>The <c>dotnet safe-migrate</c> command tree.</summary>
public static class RootCommand
{
    /// <summary>Builds the command tree.</summary>
    /// <param name="helpOut">Where help and parsing hints go: stdout when help was asked for, stderr otherwise (so that stdout carries only data).</param>
    public static CommandLineApplication Create(TextWriter helpOut)
    {
        var app = new CommandLineApplication
        {
            Name = "dotnet safe-migrate",
            FullName = "EfSafeMigrate: EF Core migrations made safe (verified backups, locks, fake-initial, plans)",
            Out = helpOut,
            Error = Console.Error,
        };
        app.HelpOption("-h|--help", inherited: true);
        app.VersionOption("--version", ToolInfo.Version);
        app.Command("status", StatusCommand.Configure);
        app.Command("plan", PlanCommand.Configure);
        app.Command("script", ScriptCommand.Configure);
        app.Command("apply", ApplyCommand.Configure);
        app.Command("rollback", RollbackCommand.Configure);
        app.Command("backup", BackupCommand.Configure);
        app.Command("check", CheckCommand.Configure);
        app.Command("hash", HashCommand.Configure);
        app.Command("add", AddCommand.Configure);
        app.Command("remove", RemoveCommand.Configure);
        app.Command("hook", HookCommand.Configure);
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
