using EfSafeMigrate.Tool.Hooks;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>hook install [--command CMD] [-p PROJECT] [--against REF] | hook uninstall</c>: the git pre-commit hook that
/// runs <c>check --staged</c> (<c>--against REF</c>: and the semantic conflict check against that base branch) and blocks commits with migration problems. The hooks folder is
/// git's (<see cref="HooksFolder"/>); an existing hook is kept and chained
/// (<see cref="HookOperations"/>). Exit 0 on success (also when there was nothing to do),
/// 2 outside a git working tree or on a usage error.
/// </summary>
internal static class HookCommand
{
    /// <summary>Declares the subcommands.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Install or remove the git pre-commit hook that runs 'check --staged' and blocks commits with migration problems.";
        command.Command("install", ConfigureInstall);
        command.Command("uninstall", ConfigureUninstall);
        command.OnExecute(() =>
        {
            command.ShowHelp();
            return ExitCodes.UsageError;
        });
    }

    private static void ConfigureInstall(CommandLineApplication command)
    {
        command.Description = "Write the git pre-commit hook that runs 'check --staged' and blocks commits on problems; an existing hook is kept and runs first.";
        command.ExtendedHelpText = $"""

            The hook is a POSIX sh script, mode 0755, written to git's hooks folder: core.hooksPath when set
            (relative to the top level of the working tree), else 'git rev-parse --git-path hooks' (.git/hooks).
            When the staged changes touch C# files or safe-migrate.sum it runs '{PreCommitHookScript.DefaultCommand} check --staged'
            and blocks the commit when the check fails; 'git commit --no-verify' bypasses it in an emergency.
            With --against <REF> (or check.against in safe-migrate.json) it runs 'check --staged --against <REF>': a staged
            migration that touches a table or column that a migration on REF since the fork touched blocks the commit (SM203).
            An existing pre-commit hook that is not safe-migrate's is renamed to {PreCommitHookScript.ChainedFileName} and runs
            first, with the same arguments and input; its failure stops the commit. Installing again changes nothing
            (or updates the hook when --command or --project differ); 'hook uninstall' puts the earlier hook back.
            """;
        var commandOption = command.Option("--command <COMMAND>",
            $"The command the hook runs to start the tool, as a shell command line; 'check --staged' is appended. Default: '{PreCommitHookScript.DefaultCommand}' " +
            "(found as a global tool, a local tool of the repository's manifest, or dotnet-safe-migrate on PATH). " +
            "'dotnet-safe-migrate' (a global tool or a tool folder on PATH) skips the dotnet muxer and starts faster; use an absolute path when git runs with another PATH " +
            "(e.g. --command \"$HOME/.dotnet/tools/dotnet-safe-migrate\").",
            CommandOptionType.SingleValue);
        var project = command.Option("-p|--project <PROJECT>",
            "Limit the check to this project (file or folder), passed to 'check --staged -p'. Default: the whole repository.",
            CommandOptionType.SingleValue);
        var against = command.Option("--against <REF>",
            "The base branch the hook's check also compares the staged migrations with ('check --staged --against <REF>', still without a build): " +
            "a staged migration that touches a table or column a migration on REF touched since the fork blocks the commit (SM203), with both migrations named. " +
            "Default: check.against of safe-migrate.json (SAFE_MIGRATE_CHECK_AGAINST); none when unset.",
            CommandOptionType.SingleValue);
        var output = OutputOptions.Add(command);
        command.OnExecute(() => Run(output, reporter =>
            HookOperations.Install(reporter, commandOption.HasValue() ? commandOption.Value()! : PreCommitHookScript.DefaultCommand, project.HasValue() ? project.Value() : null,
                against.HasValue() ? against.Value() : null, Configuration.ConfigurationDefaults.IsApplied(against))));
    }

    private static void ConfigureUninstall(CommandLineApplication command)
    {
        command.Description = $"Remove safe-migrate's pre-commit hook and put back the hook it replaced ({PreCommitHookScript.ChainedFileName}); another tool's hook is left alone.";
        var output = OutputOptions.Add(command);
        command.OnExecute(() => Run(output, HookOperations.Uninstall));
    }

    private static int Run(OutputOptions output, Func<Reporter, int> body)
    {
        var reporter = output.CreateReporter();
        try
        {
            return body(reporter);
        }
        catch (Exception ex)
        {
            return ErrorHandler.Report(ex, reporter);
        }
    }

    /// <summary>The output options every command has; the project options (build, connection) do not apply here.</summary>
    private sealed class OutputOptions
    {
        private OutputOptions(CommandOption verbose, CommandOption json, CommandOption noColor)
        {
            Verbose = verbose;
            Json = json;
            NoColor = noColor;
        }

        private CommandOption Verbose { get; }

        private CommandOption Json { get; }

        private CommandOption NoColor { get; }

        public static OutputOptions Add(CommandLineApplication command) => new(
            command.Option("-v|--verbose", "Show verbose output.", CommandOptionType.NoValue),
            command.Option("--json", "Write the result as JSON to stdout.", CommandOptionType.NoValue),
            command.Option("--no-color", "Do not colourise output.", CommandOptionType.NoValue));

        public Reporter CreateReporter() => new(Json.HasValue(), NoColor.HasValue(), Verbose.HasValue());
    }
}
