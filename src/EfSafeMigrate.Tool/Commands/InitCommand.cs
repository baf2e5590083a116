using EfSafeMigrate.Tool.Configuration;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>init [-p PROJECT] [-s PROJECT] [-c CONTEXT] [--backup-dir DIR] [--force]</c>: writes <c>safe-migrate.json</c>,
/// hashes the migrations, installs the pre-commit hook and ignores the backup folder, in one step
/// (<see cref="RepositorySetup"/>). Exit 0 done; 1 a configuration exists (without <c>--force</c>); 2 outside a git work tree.
/// </summary>
internal static class InitCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Set the repository up: write safe-migrate.json, hash the migrations (safe-migrate.sum), install the pre-commit hook, add the backup folder to .gitignore.";
        var project = command.Option("-p|--project <PROJECT>", "The project holding the migrations (file or folder). Default: every project with a model snapshot in the repository.", CommandOptionType.SingleValue);
        var startup = command.Option("-s|--startup-project <PROJECT>", "The startup project to record. Default: none (the migrations project).", CommandOptionType.SingleValue);
        var context = command.Option("-c|--context <DBCONTEXT>", "The DbContext to record. Default: the one the model snapshot names.", CommandOptionType.SingleValue);
        var backupDir = command.Option("--backup-dir <DIR>", $"The backup folder to record (and ignore in git). Default: '{BackupOptions.DefaultFolderName}' beside the project.", CommandOptionType.SingleValue);
        var force = command.Option("-f|--force", "Overwrite an existing safe-migrate.json.", CommandOptionType.NoValue);
        var verbose = command.Option("-v|--verbose", "Show verbose output.", CommandOptionType.NoValue);
        var noColor = command.Option("--no-color", "Do not colourise output.", CommandOptionType.NoValue);
        command.OnExecute(() =>
        {
            var reporter = new Reporter(json: false, noColor.HasValue(), verbose.HasValue());
            try
            {
                return RepositorySetup.Run(reporter, new SetupRequest(project.Value(), startup.Value(), context.Value(), backupDir.Value(), force.HasValue()));
            }
            catch (Exception ex)
            {
                return ErrorHandler.Report(ex, reporter);
            }
        });
    }
}
