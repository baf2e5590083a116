using EfSafeMigrate.Tool.Git;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// The <c>--backup-dir</c> option and its default, for the commands that write or read backups. Its value may also
/// come from <c>backup.dir</c> in <c>safe-migrate.json</c> or <c>SAFE_MIGRATE_BACKUP_DIR</c> (Configuration/).
/// </summary>
internal sealed class BackupOptions
{
    /// <summary>The folder name used beside the project when <c>--backup-dir</c> is not given.</summary>
    public const string DefaultFolderName = "backups";

    private BackupOptions(CommandLineApplication command)
        => BackupDir = command.Option("--backup-dir <DIR>", $"Folder for backups. Default: backup.dir of safe-migrate.json, SAFE_MIGRATE_BACKUP_DIR, else '{DefaultFolderName}' beside the project.", CommandOptionType.SingleValue);

    /// <summary>--backup-dir</summary>
    public CommandOption BackupDir { get; }

    /// <summary>Adds the option to a command.</summary>
    public static BackupOptions Add(CommandLineApplication command) => new(command);

    /// <summary>The backup folder: the option's value (relative to the current folder), else <c>backups</c> in <paramref name="projectDir"/>.</summary>
    public string Folder(string projectDir)
        => Path.GetFullPath(BackupDir.HasValue() ? BackupDir.Value()! : Path.Combine(projectDir, DefaultFolderName));

    /// <summary>
    /// The folder a backup is about to be written to (<see cref="Folder"/>), with a warning when it is inside a git work
    /// tree that does not ignore it (a database dump would end up in <c>git add -A</c>), naming the fix.
    /// </summary>
    public string FolderToWrite(string projectDir, Reporter reporter)
    {
        var folder = Folder(projectDir);
        if (GitIgnore.NotIgnoredIn(folder) is { } repository)
        {
            var relative = repository.Relative(folder);
            reporter.Warning($"The backup folder {folder} is inside the git work tree {repository.TopLevel} and git does not ignore it: " +
                             $"'git add -A' would commit database dumps. Fix: echo '/{relative}/' >> {Path.Combine(repository.TopLevel, ".gitignore")} " +
                             "(or run 'dotnet safe-migrate init', which does it), or set backup.dir outside the work tree.");
        }

        return folder;
    }
}
