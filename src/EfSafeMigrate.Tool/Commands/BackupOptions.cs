using McMaster.Extensions.CommandLineUtils;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>The <c>--backup-dir</c> option and its default.</summary>
internal sealed class BackupOptions
{
    /// <summary>The folder name used beside the project when <c>--backup-dir</c> is not given.</summary>
    public const string DefaultFolderName = "backups";

    private BackupOptions(CommandLineApplication command)
        => BackupDir = command.Option("--backup-dir <DIR>", $"Folder for backups. Default: '{DefaultFolderName}' beside the project.", CommandOptionType.SingleValue);

    /// <summary>--backup-dir</summary>
    public CommandOption BackupDir { get; }

    /// <summary>Adds the option to a command.</summary>
    public static BackupOptions Add(CommandLineApplication command) => new(command);

    /// <summary>The backup folder: the option's value (relative to the current folder), else <c>backups</c> in <paramref name="projectDir"/>.</summary>
    public string Folder(string projectDir)
        => Path.GetFullPath(BackupDir.HasValue() ? BackupDir.Value()! : Path.Combine(projectDir, DefaultFolderName));
}
