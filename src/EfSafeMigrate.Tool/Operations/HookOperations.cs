using EfSafeMigrate.Tool.Git;
using EfSafeMigrate.Tool.Hooks;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>hook install | uninstall</c>: installs or removes the git pre-commit hook that runs <c>check --staged</c>
/// in git's hooks folder (<see cref="HooksFolder"/>), keeping and chaining an existing hook
/// (<see cref="PreCommitHookInstaller"/>), and says what was done.
/// </summary>
internal static class HookOperations
{
    /// <summary>Installs (or updates) the hook in the hooks folder of the repository of the current folder.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="toolCommand">The command the hook runs to start the tool (<c>--command</c>, default <see cref="PreCommitHookScript.DefaultCommand"/>).</param>
    /// <param name="project">The <c>-p</c> option (a project file or folder the check is limited to), or null for the whole repository.</param>
    /// <param name="against">The <c>--against</c> option (the base branch the hook's check compares the staged migrations with: <c>check --staged --against</c>), or null.</param>
    /// <param name="againstConfigured">True when <paramref name="against"/> comes from the configuration (<c>check.against</c>) rather than the command line:
    /// then a ref git cannot resolve is warned about and left out instead of refused.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">Outside a git working tree, a command that is not one non-empty line, a project that does not exist,
    /// or an <c>--against</c> ref git cannot resolve to a commit (exit code 2).</exception>
    public static int Install(Reporter reporter, string toolCommand, string? project, string? against = null, bool againstConfigured = false)
    {
        var folder = HooksFolder.Locate(Directory.GetCurrentDirectory());
        if (string.IsNullOrWhiteSpace(toolCommand) || toolCommand.Contains('\n') || toolCommand.Contains('\r'))
        {
            throw new CommandException(ExitCodes.UsageError, "--command takes one non-empty line, e.g. --command \"dotnet safe-migrate\" or --command /usr/local/bin/dotnet-safe-migrate.");
        }

        var scope = project is not null ? ScopeFor(project, folder.TopLevel) : null;
        against = ResolvableAgainst(reporter, folder.TopLevel, string.IsNullOrWhiteSpace(against) ? null : against.Trim(), againstConfigured);
        var change = new PreCommitHookInstaller(folder).Install(toolCommand, scope, against);
        reporter.Detail($"Hooks folder: {change.HooksFolder} (from {change.HooksFolderSource}).");
        switch (change.Action)
        {
            case HookAction.AlreadyInstalled:
                reporter.Info($"The safe-migrate pre-commit hook is already installed: {change.Hook} (runs: {change.Check}).");
                break;
            case HookAction.Updated:
                reporter.Success($"Updated the safe-migrate pre-commit hook: {change.Hook} (runs: {change.Check}).");
                break;
            default:
                reporter.Success($"Installed the safe-migrate pre-commit hook: {change.Hook} (runs: {change.Check}).");
                break;
        }

        if (change.Chained is not null)
        {
            reporter.Info(change.ChainedNow
                ? $"The pre-commit hook that was there is kept as {change.Chained}; the new hook runs it first (same arguments and input) and stops the commit when it fails. 'dotnet safe-migrate hook uninstall' puts it back."
                : $"It first runs the earlier hook kept as {change.Chained} (uninstall puts it back as {PreCommitHookScript.HookFileName}).");
            if (change.ChainedIsExecutable == false)
            {
                reporter.Warning($"{change.Chained} is not executable, so git did not run it and the hook will not either. To run it: chmod +x {change.Chained}");
            }
        }

        WriteResult(reporter, change, change.Hook);
        return ExitCodes.Success;
    }

    // The ref the hook's check compares with, once git resolves it to a commit: a hook whose ref is missing would block every commit.
    private static string? ResolvableAgainst(Reporter reporter, string topLevel, string? against, bool configured)
    {
        if (against is null || (against.IndexOfAny(['\n', '\r']) < 0 && GitRepository.Find(topLevel) is { } repository
            && repository.RunText("rev-parse", "--verify", "--quiet", against + "^{commit}").ExitCode == 0))
        {
            return against;
        }

        if (!configured)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"--against '{against}' is not a branch or commit git knows here (git rev-parse --verify '{against}' fails), and a hook that compares with it would block every commit. Nothing was changed. " +
                "Fetch it first (git fetch origin), or give another: dotnet safe-migrate hook install --against <branch>.");
        }

        reporter.Warning($"check.against is '{against}', which git cannot resolve here, so the hook is installed without --against (no semantic conflict check against the base branch). " +
            "Fetch it (git fetch origin), then run 'dotnet safe-migrate hook install' again.");
        return null;
    }

    /// <summary>Removes safe-migrate's hook and puts back the hook it replaced; another tool's hook is left alone.</summary>
    /// <param name="reporter">Output.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">Outside a git working tree (exit code 2).</exception>
    public static int Uninstall(Reporter reporter)
    {
        var folder = HooksFolder.Locate(Directory.GetCurrentDirectory());
        var change = new PreCommitHookInstaller(folder).Uninstall();
        reporter.Detail($"Hooks folder: {change.HooksFolder} (from {change.HooksFolderSource}).");
        switch (change.Action)
        {
            case HookAction.Uninstalled when change.Chained is not null:
                reporter.Success($"Removed the safe-migrate pre-commit hook and put back the hook it replaced: {change.Chained} -> {change.Hook}.");
                break;
            case HookAction.Uninstalled:
                reporter.Success($"Removed the safe-migrate pre-commit hook: {change.Hook}.");
                break;
            case HookAction.NotOurs:
                reporter.Warning($"{change.Hook} is not safe-migrate's hook; it was left as it is. Nothing was changed.");
                break;
            default:
                reporter.Info($"There is no safe-migrate pre-commit hook in {change.HooksFolder}; nothing to remove.");
                break;
        }

        WriteResult(reporter, change, null);
        return ExitCodes.Success;
    }

    /// <summary>The <c>-p</c> value for the hook: relative to the top level (where git runs hooks) when inside it, else absolute.</summary>
    private static string ScopeFor(string project, string topLevel)
    {
        ProjectLocator.Locate(project); // fails now, naming the path, rather than at every commit
        var full = Path.GetFullPath(project);
        var relative = Path.GetRelativePath(topLevel, full);
        var inside = relative != ".." && !relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !Path.IsPathRooted(relative);
        return inside ? (relative == "." ? "." : relative.Replace('\\', '/')) : full;
    }

    private static void WriteResult(Reporter reporter, HookChange change, string? path)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(change);
        }
        else if (path is not null)
        {
            reporter.Text(path + Environment.NewLine);
        }
    }
}
