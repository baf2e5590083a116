using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Finds and runs the PostgreSQL client programs (<c>pg_dump</c>, <c>pg_restore</c>).
/// </summary>
/// <remarks>
/// Search order: the folder in <c>SAFE_MIGRATE_PG_BIN</c> when it is set (and nowhere else then);
/// otherwise each folder of <c>PATH</c>, then <c>/usr/lib/postgresql/&lt;major&gt;/bin</c> newest major first
/// (Debian and Ubuntu install several majors side by side there). On Debian and Ubuntu, <c>/usr/bin/pg_dump</c> and
/// <c>/usr/bin/pg_restore</c> are links to postgresql-common's <c>pg_wrapper</c>, a Perl script that picks one of those
/// majors by the local cluster configuration and then runs it; when the search also finds real programs, the wrapper is
/// left out, because version negotiation (<see cref="PgClientPrograms"/>) chooses the major itself, and each run through
/// the wrapper costs a Perl start (about 20 ms of CPU).
/// A program's version (<see cref="GetVersionAsync"/>) is read once per process for each file: the result is kept with
/// the file's length and last write time, and read again when either changes.
/// Programs run with their arguments as a list (no shell, no quoting) and the connection in their
/// environment (see <see cref="PgConnectionInfo.LibpqEnvironment"/>), so neither the password nor a
/// connection string is ever on a command line.
/// </remarks>
internal sealed class PgTools
{
    /// <summary>Environment variable naming the folder that holds <c>pg_dump</c> and <c>pg_restore</c>.</summary>
    public const string BinFolderVariable = "SAFE_MIGRATE_PG_BIN";

    /// <summary>Name of the dump program.</summary>
    public const string PgDump = "pg_dump";

    /// <summary>Name of the restore program.</summary>
    public const string PgRestore = "pg_restore";

    private const string DebianPostgresRoot = "/usr/lib/postgresql";

    /// <summary>The file name of postgresql-common's version-selecting wrapper, which Debian links the client programs to.</summary>
    private const string DebianWrapper = "pg_wrapper";

    /// <summary>Versions read by <see cref="GetVersionAsync"/>, by full path, with the file's length and last write time (UTC ticks) when read.</summary>
    private static readonly ConcurrentDictionary<string, (long Length, long WriteTicks, PgVersion Version)> Versions = new(StringComparer.Ordinal);

    /// <summary>Uses the folder in <c>SAFE_MIGRATE_PG_BIN</c> (read now) when set, else PATH and <c>/usr/lib/postgresql</c>.</summary>
    public PgTools() : this(Environment.GetEnvironmentVariable(BinFolderVariable))
    {
    }

    /// <summary>Uses only <paramref name="binFolder"/> when it is given; else PATH and <c>/usr/lib/postgresql</c>.</summary>
    /// <param name="binFolder">Folder holding <c>pg_dump</c> and <c>pg_restore</c>; <c>null</c> or blank to search.</param>
    public PgTools(string? binFolder)
    {
        BinFolder = string.IsNullOrWhiteSpace(binFolder) ? null : Path.GetFullPath(binFolder);
    }

    /// <summary>The one folder searched when set (from <c>SAFE_MIGRATE_PG_BIN</c> or the constructor); <c>null</c> when searching.</summary>
    public string? BinFolder { get; }

    /// <summary>Where programs are looked for, for messages: <c>in SAFE_MIGRATE_PG_BIN (/opt/pg/bin)</c> or <c>on PATH or in /usr/lib/postgresql/*/bin</c>.</summary>
    public string DescribeSearch() => BinFolder is not null
        ? $"in {BinFolderVariable} ({BinFolder})"
        : $"on PATH or in {DebianPostgresRoot}/*/bin";

    /// <summary>
    /// Full paths of every <paramref name="program"/> found, in search order (see the class remarks); links to Debian's
    /// <c>pg_wrapper</c> only when nothing else is found.
    /// </summary>
    /// <param name="program">Program name without extension (<c>.exe</c> is added on Windows).</param>
    public IReadOnlyList<string> FindAll(string program)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        var fileName = OperatingSystem.IsWindows() ? program + ".exe" : program;
        var found = new List<string>();
        foreach (var folder in SearchFolders())
        {
            string candidate;
            try
            {
                candidate = Path.GetFullPath(Path.Combine(folder, fileName));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
            {
                continue;
            }
            if (IsExecutableFile(candidate) && !found.Contains(candidate, StringComparer.Ordinal))
            {
                found.Add(candidate);
            }
        }
        var real = found.Where(path => !IsDebianWrapper(path)).ToList();
        return real.Count > 0 ? real : found;
    }

    /// <summary>The first <paramref name="program"/> in search order, or <c>null</c> when there is none.</summary>
    public string? Find(string program) => FindAll(program).FirstOrDefault();

    /// <summary>
    /// Runs <c>&lt;program&gt; --version</c> and reads the PostgreSQL version it prints; a file whose length and last
    /// write time are unchanged since its version was read in this process is not run again.
    /// </summary>
    /// <param name="programPath">Full path of a PostgreSQL client program.</param>
    /// <param name="cancellationToken">Kills the program.</param>
    /// <exception cref="BackupException">The program cannot be run, fails, or prints no PostgreSQL version (not kept: asked again, it runs again).</exception>
    public async Task<PgVersion> GetVersionAsync(string programPath, CancellationToken cancellationToken = default)
    {
        var stamp = Stamp(programPath);
        if (stamp is { } known && Versions.TryGetValue(programPath, out var cached)
            && cached.Length == known.Length && cached.WriteTicks == known.WriteTicks)
        {
            return cached.Version;
        }

        var result = await RunAsync(programPath, ["--version"], null, cancellationToken).ConfigureAwait(false);
        var version = result.Succeeded ? PgVersion.ParseVersionOutput(result.StandardOutput) : null;
        if (version is not null && stamp is { } read)
        {
            Versions[programPath] = (read.Length, read.WriteTicks, version);
        }
        return version ?? throw new BackupException(
            $"Could not read the version of '{programPath}' ('--version' printed: {FirstLine(result.StandardOutput + result.StandardError)}). " +
            $"Point {BinFolderVariable} to the folder of a working PostgreSQL client installation.");
    }

    /// <summary>
    /// Runs a program to its end and captures its output. Standard input is closed at once, so a
    /// program that would prompt (for a password) gets end-of-file instead of hanging.
    /// </summary>
    /// <param name="programPath">Full path of the program.</param>
    /// <param name="arguments">Arguments, one per item, passed as they are (no shell, no quoting).</param>
    /// <param name="environment">Variables to set for the child only; a <c>null</c> value removes the variable. The rest is inherited.</param>
    /// <param name="cancellationToken">Kills the program and its children, then throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="errorLine">
    /// Called with each line of standard error as it is written (on a background thread); a line for which it returns true
    /// is consumed (a <c>--verbose</c> progress line) and not kept in <see cref="PgProcessResult.StandardError"/>. Null: the
    /// output is read whole.
    /// </param>
    /// <returns>The exit code and output; a non-zero exit code is not an exception.</returns>
    /// <exception cref="BackupException">The program could not be started.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the program was killed.</exception>
    public async Task<PgProcessResult> RunAsync(
        string programPath,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        CancellationToken cancellationToken = default,
        Func<string, bool>? errorLine = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(programPath);
        ArgumentNullException.ThrowIfNull(arguments);
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(programPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                if (value is null)
                {
                    startInfo.Environment.Remove(name);
                }
                else
                {
                    startInfo.Environment[name] = value;
                }
            }
        }

        using var process = new Process { StartInfo = startInfo };
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            throw new BackupException($"Could not start '{programPath}': {ex.Message}", ex);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = errorLine is null ? process.StandardError.ReadToEndAsync(CancellationToken.None) : ReadLinesAsync(process.StandardError, errorLine);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return new PgProcessResult(process.ExitCode, output, error, clock.ElapsedMilliseconds);
    }

    private static async Task<string> ReadLinesAsync(StreamReader reader, Func<string, bool> consume)
    {
        var kept = new StringBuilder();
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!consume(line))
            {
                kept.AppendLine(line);
            }
        }

        return kept.ToString();
    }

    private IEnumerable<string> SearchFolders()
    {
        if (BinFolder is not null)
        {
            yield return BinFolder;
            yield break;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return folder;
        }
        if (!OperatingSystem.IsWindows() && Directory.Exists(DebianPostgresRoot))
        {
            var majors = new List<(decimal Major, string Bin)>();
            foreach (var dir in Directory.EnumerateDirectories(DebianPostgresRoot))
            {
                if (decimal.TryParse(Path.GetFileName(dir), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
                {
                    majors.Add((major, Path.Combine(dir, "bin")));
                }
            }
            foreach (var (_, bin) in majors.OrderByDescending(m => m.Major))
            {
                yield return bin;
            }
        }
    }

    /// <summary>The length and last write time (UTC ticks) of the file a path leads to (through links); null when it cannot be read.</summary>
    private static (long Length, long WriteTicks)? Stamp(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            {
                file = target;
            }
            return file.Exists ? (file.Length, file.LastWriteTimeUtc.Ticks) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="path"/> is a link (possibly through other links) to Debian's <c>pg_wrapper</c>.</summary>
    private static bool IsDebianWrapper(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true) is { Name: DebianWrapper };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        if (OperatingSystem.IsWindows())
        {
            return true;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static string FirstLine(string text)
    {
        var line = text.Trim().Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "nothing" : line.Length > 200 ? line[..200] + "..." : line;
    }
}
