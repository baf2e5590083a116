namespace EfSafeMigrate.Tool.Hooks;

/// <summary>What <see cref="PreCommitHookInstaller"/> did.</summary>
internal enum HookAction
{
    /// <summary>The hook was written where there was none of ours.</summary>
    Installed,

    /// <summary>Our hook was there with other settings (command or project) and was rewritten.</summary>
    Updated,

    /// <summary>Our hook was there, identical: nothing changed.</summary>
    AlreadyInstalled,

    /// <summary>Our hook was removed (and the hook it replaced, if any, put back).</summary>
    Uninstalled,

    /// <summary>There was no hook of ours to remove: nothing changed.</summary>
    NotInstalled,

    /// <summary>The pre-commit hook is not ours: it was left as it is.</summary>
    NotOurs,
}

/// <summary>The result of <c>hook install</c> or <c>hook uninstall</c> (also its <c>--json</c> document).</summary>
/// <param name="Action">What was done.</param>
/// <param name="Hook">Full path of the pre-commit hook file.</param>
/// <param name="HooksFolder">Full path of the hooks folder.</param>
/// <param name="HooksFolderSource"><c>core.hooksPath</c> or <c>git rev-parse --git-path hooks</c>.</param>
/// <param name="Chained">Full path of the replaced hook kept beside ours (<c>pre-commit.pre-safe-migrate</c>) after install; after uninstall, the path it was restored from. Null when there is none.</param>
/// <param name="ChainedIsExecutable">Whether the chained hook is executable (git, and our hook, run it only then); null when there is none.</param>
/// <param name="Check">The command line the hook runs (install only; null after uninstall).</param>
/// <param name="ChainedNow">True when this install renamed the existing hook to <paramref name="Chained"/>; false when that file was already there (or there is none).</param>
internal sealed record HookChange(HookAction Action, string Hook, string HooksFolder, string HooksFolderSource, string? Chained, bool? ChainedIsExecutable, string? Check, bool ChainedNow = false);
