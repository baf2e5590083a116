using System.Diagnostics;
using System.Text;

namespace EfSafeMigrate.Tool.Git;

/// <summary>
/// A git working tree, read through the <c>git</c> program (LibGit2Sharp's native binaries are
/// not available here, and the program is what users have). Paths are relative to the top level
/// of the working tree, with <c>/</c> separators.
/// </summary>
internal sealed class GitRepository
{
    private GitRepository(string topLevel, string gitFolder)
    {
        TopLevel = topLevel;
        GitFolder = gitFolder;
    }

    /// <summary>Full path of the working tree's top-level folder.</summary>
    public string TopLevel { get; }

    /// <summary>Full path of the repository's git folder (<c>.git</c>, or the worktree's own git folder).</summary>
    public string GitFolder { get; }

    /// <summary>The repository that contains <paramref name="folder"/>, or null when it is not in one (or git is not installed).</summary>
    /// <remarks>
    /// The common layouts (a <c>.git</c> folder, or a <c>.git</c> file naming the git folder, as in
    /// linked worktrees and submodules) are found by walking up the folders, without starting git;
    /// anything else (GIT_DIR or GIT_WORK_TREE set, no <c>.git</c> found) asks <c>git rev-parse</c>.
    /// </remarks>
    public static GitRepository? Find(string folder)
    {
        if (Environment.GetEnvironmentVariable("GIT_DIR") is null && Environment.GetEnvironmentVariable("GIT_WORK_TREE") is null)
        {
            for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
            {
                var dotGit = Path.Combine(current.FullName, ".git");
                if (Directory.Exists(dotGit) && File.Exists(Path.Combine(dotGit, "HEAD")))
                {
                    return new GitRepository(current.FullName, dotGit);
                }

                if (File.Exists(dotGit))
                {
                    var pointer = File.ReadAllText(dotGit).Trim();
                    if (pointer.StartsWith("gitdir:", StringComparison.Ordinal))
                    {
                        return new GitRepository(current.FullName, Path.GetFullPath(Path.Combine(current.FullName, pointer["gitdir:".Length..].Trim())));
                    }

                    break;
                }
            }
        }

        try
        {
            var (code, output, _) = Run(folder, ["rev-parse", "--show-toplevel", "--absolute-git-dir"]);
            var lines = Encoding.UTF8.GetString(output).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return code == 0 && lines.Length == 2 ? new GitRepository(Path.GetFullPath(lines[0]), Path.GetFullPath(lines[1])) : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git program
        }
    }

    /// <summary>Files staged in the index (stage 0) under <paramref name="pathspec"/>: path and blob id.</summary>
    public IReadOnlyList<(string Path, string Blob)> ListIndex(string pathspec)
        => ParseEntries(RunChecked(["ls-files", "--stage", "-z", "--", pathspec]), blobField: 1, pathAfterTab: true, stageFilter: true);

    /// <summary>Files of a commit or tree under <paramref name="pathspec"/>: path and blob id.</summary>
    /// <exception cref="CommandException">The ref does not exist (exit code 2).</exception>
    public IReadOnlyList<(string Path, string Blob)> ListTree(string treeish, string pathspec)
        => ParseEntries(RunChecked(["ls-tree", "-r", "-z", "--full-tree", treeish, "--", pathspec]), blobField: 2, pathAfterTab: true, stageFilter: false);

    /// <summary>The merge base of two refs (<c>git merge-base</c>).</summary>
    /// <exception cref="CommandException">A ref is unknown or they share no history (exit code 2).</exception>
    public string MergeBase(string a, string b) => Encoding.UTF8.GetString(RunChecked(["merge-base", a, b])).Trim();

    /// <summary>Reads blobs in one <c>git cat-file --batch</c> process; returns their text by blob id.</summary>
    public IReadOnlyDictionary<string, string> ReadBlobs(IEnumerable<string> blobs) => ReadObjects(blobs, blob => blob);

    /// <summary>
    /// Reads files of a commit (<c>&lt;treeish&gt;:&lt;path&gt;</c>) or of the index (<paramref name="treeish"/> empty:
    /// <c>:&lt;path&gt;</c>, stage 0) in one <c>git cat-file --batch</c> process; returns their text by path (a path
    /// that is not there is left out).
    /// </summary>
    /// <param name="treeish">A commit or tree (e.g. <c>origin/main</c>, <c>MERGE_HEAD</c>), or empty for the index.</param>
    /// <param name="paths">Paths relative to the top level, <c>/</c>-separated.</param>
    public IReadOnlyDictionary<string, string> ReadAt(string treeish, IEnumerable<string> paths) => ReadObjects(paths, path => $"{treeish}:{path}");

    /// <summary>
    /// Reads objects in one <c>git cat-file --batch</c> process: each key's object is named by <paramref name="name"/>;
    /// returns the text of each key whose object is a blob (missing, ambiguous and non-blob objects are left out).
    /// </summary>
    private IReadOnlyDictionary<string, string> ReadObjects(IEnumerable<string> keys, Func<string, string> name)
    {
        var wanted = keys.Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return result;
        }

        var psi = Start(TopLevel, ["cat-file", "--batch"]);
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        var writer = Task.Run(() =>
        {
            process.StandardInput.Write(string.Concat(wanted.Select(k => name(k) + "\n")));
            process.StandardInput.Close();
        });
        using var output = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        foreach (var key in wanted)
        {
            var header = ReadLine(output).Split(' ');
            if (header.Length != 3 || header[1] != "blob")
            {
                if (header.Length == 3 && int.TryParse(header[2], out var skip))
                {
                    output.ReadExactly(new byte[skip]); // not a blob (a tree): skip its content
                    output.ReadByte();
                }

                continue; // "<name> missing" or "<name> ambiguous"
            }

            var buffer = new byte[int.Parse(header[2])];
            output.ReadExactly(buffer);
            output.ReadByte(); // the newline after the content
            result[key] = Encoding.UTF8.GetString(buffer);
        }

        writer.Wait();
        process.WaitForExit();
        return result;
    }

    /// <summary>Runs git in the top-level folder; returns exit code and outputs.</summary>
    public (int ExitCode, string Output, string Error) RunText(params string[] arguments)
    {
        var (code, output, error) = Run(TopLevel, arguments);
        return (code, Encoding.UTF8.GetString(output), error);
    }

    /// <summary>A path relative to the top level, with <c>/</c> separators (empty for the top level itself).</summary>
    public string Relative(string fullPath)
    {
        var relative = Path.GetRelativePath(TopLevel, fullPath).Replace('\\', '/');
        return relative == "." ? string.Empty : relative;
    }

    private byte[] RunChecked(string[] arguments)
    {
        var (code, output, error) = Run(TopLevel, arguments);
        if (code != 0)
        {
            throw new CommandException(ExitCodes.UsageError, $"git {string.Join(' ', arguments.TakeWhile(a => a != "--"))} failed in {TopLevel}: {error.Trim()}");
        }

        return output;
    }

    private static (int ExitCode, byte[] Output, string Error) Run(string folder, IReadOnlyList<string> arguments)
    {
        using var process = Process.Start(Start(folder, arguments))!;
        var error = process.StandardError.ReadToEndAsync();
        using var memory = new MemoryStream();
        process.StandardOutput.BaseStream.CopyTo(memory);
        process.WaitForExit();
        return (process.ExitCode, memory.ToArray(), error.Result);
    }

    private static ProcessStartInfo Start(string folder, IReadOnlyList<string> arguments)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("core.quotepath=off");
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        return psi;
    }

    private static List<(string Path, string Blob)> ParseEntries(byte[] output, int blobField, bool pathAfterTab, bool stageFilter)
    {
        var entries = new List<(string, string)>();
        foreach (var record in Encoding.UTF8.GetString(output).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // ls-files --stage: "<mode> <blob> <stage>\t<path>"; ls-tree: "<mode> <type> <blob>\t<path>"
            var tab = record.IndexOf('\t');
            var fields = record[..tab].Split(' ');
            if (stageFilter && fields[2] != "0")
            {
                continue;
            }

            if (!stageFilter && fields[1] != "blob")
            {
                continue;
            }

            entries.Add((record[(tab + 1)..], fields[blobField]));
        }

        return entries;
    }

    private static string ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        int b;
        while ((b = stream.ReadByte()) >= 0 && b != '\n')
        {
            bytes.Add((byte)b);
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
