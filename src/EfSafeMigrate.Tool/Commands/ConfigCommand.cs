using EfSafeMigrate.Tool.Configuration;
using EfSafeMigrate.Tool.Linting;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>config show [--json]</c>: every effective setting and where it came from (default, <c>safe-migrate.json</c> and
/// line, environment variable, command line), from the same layering the other commands use
/// (<see cref="EffectiveConfiguration"/>). Never builds; never prints a password.
/// </summary>
internal static class ConfigCommand
{
    /// <summary>Declares the subcommands.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Show the effective configuration (safe-migrate.json, SAFE_MIGRATE_* variables, options) and where each value came from.";
        command.Command("show", ConfigureShow);
        command.OnExecute(() =>
        {
            command.ShowHelp();
            return ExitCodes.UsageError;
        });
    }

    private static void ConfigureShow(CommandLineApplication command)
    {
        command.Description = "Print every effective setting with its value and source (default, file:line, env VARIABLE, --option). Connection strings are shown without their password.";
        var options = ProjectOptions.AddLocal(command, LocalOptions.Connection | LocalOptions.StartupAndContext).AddBackupDir();
        _ = command.Option("--backup-strategy <STRATEGY>", "Show the effect of this --backup-strategy.", CommandOptionType.SingleValue);
        _ = command.Option("--pgbackrest-stanza <STANZA>", "Show the effect of this --pgbackrest-stanza.", CommandOptionType.SingleValue);
        _ = command.Option("--pgbackrest-config <FILE>", "Show the effect of this --pgbackrest-config.", CommandOptionType.SingleValue);
        _ = command.Option("--lock-timeout <SECONDS>", "Show the effect of this --lock-timeout.", CommandOptionType.SingleValue);
        _ = command.Option("--command-timeout <SECONDS>", "Show the effect of this --command-timeout.", CommandOptionType.SingleValue);
        _ = command.Option("--ddl-lock-timeout <SECONDS>", "Show the effect of this --ddl-lock-timeout.", CommandOptionType.SingleValue);
        _ = command.Option("--ddl-lock-retries <COUNT>", "Show the effect of this --ddl-lock-retries.", CommandOptionType.SingleValue);
        _ = LintSettings.Add(command);
        command.OnExecute(() => CommandRunner.RunLocal(options, reporter => Task.FromResult(ConfigurationReport.Write(reporter, options.Settings))));
    }
}
