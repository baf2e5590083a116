using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>The <c>dotnet safe-migrate</c> command tree.</summary>
public static class RootCommand
{
    /// <summary>Builds the command tree.</summary>
    public static CommandLineApplication Create()
    {
        var app = new CommandLineApplication
        {
            Name = "dotnet safe-migrate",
            FullName = "EfSafeMigrate: EF Core migrations made safe (verified backups, locks, fake-initial, plans)",
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
        return app;
    }
}
