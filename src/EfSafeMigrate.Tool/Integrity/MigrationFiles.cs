using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Git;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// Where the fast checks read files from: the working tree, git's index (<c>--staged</c>) or a
/// commit (<c>--against</c>). Only C# files and integrity files are read; build output and
/// hidden folders are skipped. Paths are relative to <see cref="Root"/> (the git top level when
/// there is a repository), with <c>/</c> separators.
/// </summary>
internal sealed class MigrationFiles
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "packages" };

    private ScanCache? _cache;

    private MigrationFiles(string root, string scope, GitRepository? repository)
    {
        Root = root;
        Scope = scope;
        Repository = repository;
    }

    /// <summary>Full path the file paths are relative to.</summary>
    public string Root { get; }

    /// <summary>The scanned folder, relative to <see cref="Root"/> (empty for all of it).</summary>
    public string Scope { get; }

    /// <summary>The git repository, or null outside one.</summary>
    public GitRepository? Repository { get; }

    /// <summary>Files are looked for under <paramref name="scopeFolder"/>, inside its git repository when there is one.</summary>
    public static MigrationFiles For(string scopeFolder)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(scopeFolder));
        var repository = GitRepository.Find(full);
        return repository is null
            ? new MigrationFiles(full, string.Empty, null)
            : new MigrationFiles(repository.TopLevel, repository.Relative(full), repository);
    }

    /// <summary>A root-relative path as a full path.</summary>
    public string FullPath(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>The files of the working tree under the scope, scanned (unchanged files come from the scan cache).</summary>
    public ScannedFiles FromWorkingTree()
    {
        var scans = new List<FileScan>();
        var sums = new List<SourceFile>();
        var start = FullPath(Scope);
        if (!Directory.Exists(start))
        {
            return new ScannedFiles(scans, sums);
        }

        var cache = Cache;
        var pending = new Stack<string>();
        pending.Push(start);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(folder))
            {
                var name = Path.GetFileName(sub);
                if (!name.StartsWith('.') && !SkippedFolders.Contains(name))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in new DirectoryInfo(folder).EnumerateFiles())
            {
                var relative = Path.GetRelativePath(Root, file.FullName).Replace('\\', '/');
                if (file.Name == SumFile.FileName)
                {
                    sums.Add(new SourceFile(relative, File.ReadAllText(file.FullName)));
                }
                else if (file.Extension.Equals(".cs", StringComparison.OrdinalIgnoreCase))
                {
                    var key = $"file:{relative}:{file.Length}:{file.LastWriteTimeUtc.Ticks}";
                    if (!cache.TryGet(key, relative, out var scan))
                    {
                        scan = Scan(new SourceFile(relative, File.ReadAllText(file.FullName)));
                        cache.Set(key, scan);
                    }

                    if (scan is not null)
                    {
                        scans.Add(scan);
                    }
                }
            }
        }

        cache.Save();
        return new ScannedFiles(scans, sums);
    }

    /// <summary>The files staged in git's index under the scope, scanned.</summary>
    /// <exception cref="CommandException">Not in a git repository (exit code 2).</exception>
    public ScannedFiles FromIndex() => Read(RequireRepository("--staged").ListIndex(Pathspec));

    /// <summary>The files of a commit under the scope, scanned.</summary>
    /// <exception cref="CommandException">Not in a git repository, or unknown ref (exit code 2).</exception>
    public ScannedFiles FromCommit(string treeish) => Read(RequireRepository("--against").ListTree(treeish, Pathspec));

    /// <summary>The repository, or an error naming the option that needs one.</summary>
    /// <exception cref="CommandException">Not in a git repository (exit code 2).</exception>
    public GitRepository RequireRepository(string option)
        => Repository ?? throw new CommandException(ExitCodes.UsageError, $"{option} needs a git repository, and '{Root}' is not in one.");

    private string Pathspec => Scope.Length == 0 ? "." : Scope;

    private ScanCache Cache => _cache ??= ScanCache.Open(Repository?.GitFolder);

    private ScannedFiles Read(IReadOnlyList<(string Path, string Blob)> entries)
    {
        var cache = Cache;
        var relevant = entries.Where(e => IsRelevant(e.Path) && !e.Path.Split('/').Any(part => part.StartsWith('.') || SkippedFolders.Contains(part))).ToList();
        var scans = new List<FileScan>();
        var toRead = new List<(string Path, string Blob)>();
        foreach (var entry in relevant.Where(e => Path.GetFileName(e.Path) != SumFile.FileName))
        {
            if (cache.TryGet("blob:" + entry.Blob, entry.Path, out var scan))
            {
                if (scan is not null)
                {
                    scans.Add(scan);
                }
            }
            else
            {
                toRead.Add(entry);
            }
        }

        var sumEntries = relevant.Where(e => Path.GetFileName(e.Path) == SumFile.FileName).ToList();
        var contents = Repository!.ReadBlobs(toRead.Concat(sumEntries).Select(e => e.Blob));
        foreach (var entry in toRead.Where(e => contents.ContainsKey(e.Blob)))
        {
            var scan = Scan(new SourceFile(entry.Path, contents[entry.Blob]));
            cache.Set("blob:" + entry.Blob, scan);
            if (scan is not null)
            {
                scans.Add(scan);
            }
        }

        cache.Save();
        return new ScannedFiles(scans, sumEntries.Where(e => contents.ContainsKey(e.Blob)).Select(e => new SourceFile(e.Path, contents[e.Blob])).ToList());
    }

    private static FileScan? Scan(SourceFile file) => MigrationSourceScanner.IsCandidate(file) ? MigrationSourceScanner.ScanFile(file) : null;

    private static bool IsRelevant(string path)
        => path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) || path.EndsWith("/" + SumFile.FileName, StringComparison.Ordinal) || path == SumFile.FileName || Path.GetFileName(path) == SumFile.FileName;
}
