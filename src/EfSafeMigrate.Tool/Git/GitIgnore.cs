namespace EfSafeMigrate.Tool.Git;

/// <summary>
/// Whether git ignores a path, asked with <c>git check-ignore</c> (so every source of ignore rules counts:
/// <c>.gitignore</c> files, <c>.git/info/exclude</c>, <c>core.excludesFile</c>), and adding a folder to the work
/// tree's top-level <c>.gitignore</c>.
/// </summary>
internal static class GitIgnore
{
    /// <summary>
    /// The work tree that holds <paramref name="path"/> when git does not ignore it there; null when the path is
    /// outside any work tree, is ignored, or git cannot answer (no git program).
    /// </summary>
    /// <param name="path">A file or folder (it need not exist yet).</param>
    public static GitRepository? NotIgnoredIn(string path)
    {
        var full = Path.GetFullPath(path);
        var existing = full;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return null;
            }
        }

        var repository = GitRepository.Find(existing);
        if (repository is null || !IsInside(full, repository.TopLevel) || IsInside(full, repository.GitFolder))
        {
            return null;
        }

        try
        {
            // A folder is matched by "name/" rules only with a trailing slash.
            var (code, _, _) = repository.RunText("check-ignore", "-q", "--", repository.Relative(full) + "/");
            return code == 1 ? repository : null; // 0: ignored; 128: error (then do not warn)
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Adds <paramref name="folder"/> (a folder inside the work tree) to the top-level <c>.gitignore</c> as
    /// <c>/relative/path/</c>, creating the file when missing; nothing when the line is there already.
    /// </summary>
    /// <returns>True when the file was changed.</returns>
    public static bool Add(GitRepository repository, string folder)
    {
        var line = "/" + repository.Relative(Path.GetFullPath(folder)).TrimEnd('/') + "/";
        var file = Path.Combine(repository.TopLevel, ".gitignore");
        var text = File.Exists(file) ? File.ReadAllText(file) : string.Empty;
        if (text.Split('\n').Any(l => l.Trim() == line))
        {
            return false;
        }

        var prefix = text.Length == 0 || text.EndsWith('\n') ? string.Empty : Environment.NewLine;
        File.AppendAllText(file, $"{prefix}# safe-migrate backups (database dumps: never commit them){Environment.NewLine}{line}{Environment.NewLine}");
        return true;
    }

    private static bool IsInside(string path, string folder)
    {
        var relative = Path.GetRelativePath(folder, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
