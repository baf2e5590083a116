using System.Text;

namespace EfSafeMigrate.Tool.Hooks;

/// <summary>
/// Installs and removes safe-migrate's pre-commit hook in a hooks folder, keeping any other
/// hook: an existing <c>pre-commit</c> that is not ours is renamed (not copied, so its mode,
/// owner, timestamps and symbolic-link-ness stay exactly as they were) to
/// <c>pre-commit.pre-safe-migrate</c>, which our hook runs first; uninstall deletes our hook and
/// renames that file back. Our hook is written to a temporary file, made mode 0755 and renamed
/// into place, so a failure never leaves a half-written hook.
/// </summary>
internal sealed class PreCommitHookInstaller
{
    private const UnixFileMode HookMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly HooksFolder _folder;

    /// <summary>Manages the pre-commit hook of <paramref name="folder"/>.</summary>
    public PreCommitHookInstaller(HooksFolder folder) => _folder = folder;

    /// <summary>Full path of the hook file (<c>&lt;hooks&gt;/pre-commit</c>).</summary>
    public string HookPath => Path.Combine(_folder.Path, PreCommitHookScript.HookFileName);

    /// <summary>Full path the replaced hook is kept under (<c>&lt;hooks&gt;/pre-commit.pre-safe-migrate</c>).</summary>
    public string ChainedPath => Path.Combine(_folder.Path, PreCommitHookScript.ChainedFileName);

    /// <summary>Installs the hook, or updates ours when its settings differ; keeps and chains a hook that is not ours.</summary>
    /// <param name="command">The command that starts the tool (see <see cref="PreCommitHookScript.Render"/>).</param>
    /// <param name="project">The scope passed to <c>check -p</c>, or null.</param>
    /// <param name="against">The ref passed to <c>check --against</c>, or null.</param>
    /// <returns><see cref="HookAction.Installed"/>, <see cref="HookAction.Updated"/> or <see cref="HookAction.AlreadyInstalled"/>.</returns>
    /// <exception cref="CommandException">The hook path is a folder, or a foreign hook and a chained hook both exist (exit code 2).</exception>
    /// <exception cref="IOException">The hooks folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The hooks folder cannot be written.</exception>
    public HookChange Install(string command, string? project, string? against = null)
    {
        var script = PreCommitHookScript.Render(command, project, against);
        var check = PreCommitHookScript.CheckLine(command, project, against);
        if (Directory.Exists(HookPath))
        {
            throw new CommandException(ExitCodes.UsageError, $"{HookPath} is a folder, not a hook file. Move it away, then run 'dotnet safe-migrate hook install' again.");
        }

        Directory.CreateDirectory(_folder.Path);
        if (Exists(HookPath))
        {
            if (IsOurs(HookPath))
            {
                var same = File.ReadAllText(HookPath) == script && HasHookMode(HookPath);
                if (!same)
                {
                    WriteHook(script);
                }

                return Result(same ? HookAction.AlreadyInstalled : HookAction.Updated, check);
            }

            if (Exists(ChainedPath))
            {
                throw new CommandException(ExitCodes.UsageError,
                    $"{HookPath} is not safe-migrate's hook, and {PreCommitHookScript.ChainedFileName}, where it would be kept, already exists beside it. Nothing was changed. " +
                    $"Keep the hook you need as {PreCommitHookScript.HookFileName}, delete or rename the other, then run 'dotnet safe-migrate hook install' again.");
            }

            File.Move(HookPath, ChainedPath);
            try
            {
                WriteHook(script);
            }
            catch
            {
                File.Move(ChainedPath, HookPath);
                throw;
            }

            return Result(HookAction.Installed, check) with { ChainedNow = true };
        }

        WriteHook(script);
        return Result(HookAction.Installed, check);
    }

    /// <summary>Removes our hook and puts back the hook it replaced; leaves a hook that is not ours alone.</summary>
    /// <returns><see cref="HookAction.Uninstalled"/>, <see cref="HookAction.NotInstalled"/> or <see cref="HookAction.NotOurs"/>.</returns>
    /// <exception cref="IOException">The hooks folder cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The hooks folder cannot be written.</exception>
    public HookChange Uninstall()
    {
        if (Exists(HookPath))
        {
            if (!IsOurs(HookPath))
            {
                return Result(HookAction.NotOurs, null);
            }

            if (Exists(ChainedPath))
            {
                // rename(2) replaces our hook in one step, so there is no moment without a hook.
                var chainedIsExecutable = IsExecutable(ChainedPath);
                File.Move(ChainedPath, HookPath, overwrite: true);
                return new HookChange(HookAction.Uninstalled, HookPath, _folder.Path, _folder.Source, ChainedPath, chainedIsExecutable, null);
            }

            File.Delete(HookPath);
            return new HookChange(HookAction.Uninstalled, HookPath, _folder.Path, _folder.Source, null, null, null);
        }

        if (Exists(ChainedPath))
        {
            // Our hook was deleted by hand but the hook it replaced is still set aside: put it back.
            var chainedIsExecutable = IsExecutable(ChainedPath);
            File.Move(ChainedPath, HookPath);
            return new HookChange(HookAction.Uninstalled, HookPath, _folder.Path, _folder.Source, ChainedPath, chainedIsExecutable, null);
        }

        return new HookChange(HookAction.NotInstalled, HookPath, _folder.Path, _folder.Source, null, null, null);
    }

    private HookChange Result(HookAction action, string? check)
        => Exists(ChainedPath)
            ? new HookChange(action, HookPath, _folder.Path, _folder.Source, ChainedPath, IsExecutable(ChainedPath), check)
            : new HookChange(action, HookPath, _folder.Path, _folder.Source, null, null, check);

    private void WriteHook(string script)
    {
        var temporary = Path.Combine(_folder.Path, $"{PreCommitHookScript.HookFileName}.safe-migrate-{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(temporary, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(script));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, HookMode);
            }

            File.Move(temporary, HookPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static bool IsOurs(string path)
    {
        try
        {
            return PreCommitHookScript.IsOurs(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // a dangling link or an unreadable file is not ours
        }
    }

    private static bool HasHookMode(string path) => OperatingSystem.IsWindows() || File.GetUnixFileMode(path) == HookMode;

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        try
        {
            return (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false; // a dangling link
        }
    }

    /// <summary>True for a file, or a symbolic link even when its target is gone.</summary>
    private static bool Exists(string path) => File.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
