using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>remove</c>: removes the newest migration as <c>dotnet ef migrations remove</c> does and updates
/// <c>safe-migrate.sum</c>; with <c>--force</c> an applied migration is reverted first, after a backup
/// (<see cref="RemoveOperations"/>).
/// </summary>
internal static class RemoveCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Remove the newest migration (as 'dotnet ef migrations remove') and update safe-migrate.sum.";
        var force = command.Option("-f|--force", "Revert the migration if the database has applied it (after a backup), or remove it without checking when the database cannot be reached.", CommandOptionType.NoValue);
        var noBackup = command.Option("--no-backup", "With --force: do not take a backup before reverting (printed as a warning).", CommandOptionType.NoValue);
        var options = ProjectOptions.Add(command).AddBackupDir();
        var backup = options.Backup;
        command.OnExecute(() => CommandRunner.RunInProject(options, session => RemoveOperations.RemoveAsync(
            session, options.Context.Value(), options.Connection.Value(), force.HasValue(), noBackup.HasValue() ? null : backup.FolderToWrite(session.ProjectDir, session.Reporter))));
    }
}
