using EfSafeMigrate.Tool.Git;

namespace EfSafeMigrate.Tool.Hooks;

/// <summary>
/// The folder git runs hooks from, found the way git finds it: <c>core.hooksPath</c> when it is
/// set (a relative value is relative to the top level of the working tree, where git runs hooks),
/// otherwise <c>git rev-parse --git-path hooks</c> (<c>.git/hooks</c>, or the common folder's
/// hooks in a linked worktree).
/// </summary>
/// <param name="Path">Full path of the hooks folder (it may not exist yet).</param>
/// <param name="TopLevel">Full path of the working tree's top-level folder (where git runs hooks).</param>
/// <param name="FromHooksPath">True when <c>core.hooksPath</c> chose the folder.</param>
internal sealed record HooksFolder(string Path, string TopLevel, bool FromHooksPath)
{
    /// <summary>The setting that chose the folder, for messages.</summary>
    public string Source => FromHooksPath ? "core.hooksPath" : "git rev-parse --git-path hooks";

    /// <summary>The hooks folder of the repository that contains <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder inside the working tree (normally the current folder).</param>
    /// <exception cref="CommandException">The folder is not in a git working tree, git is not installed, or git fails (exit code 2).</exception>
    public static HooksFolder Locate(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder);
        var repository = GitRepository.Find(full) ?? throw new CommandException(ExitCodes.UsageError,
            $"'{full}' is not inside a git working tree (or git is not installed), so there is no pre-commit hook to manage. Run the command from your repository's folder (or create one with 'git init').");

        var (code, output, error) = repository.RunText("config", "--path", "--get", "core.hooksPath");
        var hooksPath = output.Trim();
        if (code == 0 && hooksPath.Length > 0)
        {
            return new HooksFolder(System.IO.Path.GetFullPath(System.IO.Path.Combine(repository.TopLevel, hooksPath)), repository.TopLevel, FromHooksPath: true);
        }

        if (code > 1)
        {
            // 1 means "not set"; anything else is a broken configuration.
            throw new CommandException(ExitCodes.UsageError, $"git config core.hooksPath failed in {repository.TopLevel}: {error.Trim()} Fix the git configuration, then try again.");
        }

        (code, output, error) = repository.RunText("rev-parse", "--git-path", "hooks");
        if (code != 0 || output.Trim().Length == 0)
        {
            throw new CommandException(ExitCodes.UsageError, $"git rev-parse --git-path hooks failed in {repository.TopLevel}: {error.Trim()}");
        }

        return new HooksFolder(System.IO.Path.GetFullPath(System.IO.Path.Combine(repository.TopLevel, output.Trim())), repository.TopLevel, FromHooksPath: false);
    }
}
