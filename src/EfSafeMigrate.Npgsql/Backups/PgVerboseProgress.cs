using System.Text.RegularExpressions;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Turns the <c>--verbose</c> lines of <c>pg_dump</c> and <c>pg_restore</c> (<c>pg_dump: dumping contents of table "public.Orders"</c>,
/// <c>pg_restore: processing data for table "public.Orders"</c>, <c>pg_restore: creating INDEX "public.IX_Orders_CustomerId"</c>) into
/// <see cref="BackupProgress"/> reports, and, while dumping, reports the archive's size every <see cref="PollMilliseconds"/>.
/// Messages the program prints at <c>error</c>, <c>warning</c>, <c>detail</c> and <c>hint</c> level are never consumed, so error
/// messages stay what they are without <c>--verbose</c>. Thread-safe: reports are sent one at a time.
/// </summary>
internal sealed partial class PgVerboseProgress : IDisposable
{
    /// <summary>How often the archive's size is reported while dumping, in milliseconds.</summary>
    public const int PollMilliseconds = 250;

    private readonly IProgress<BackupProgress> _progress;
    private readonly BackupPhase _phase;
    private readonly string _program;
    private readonly string? _archive;
    private readonly Lock _gate = new();
    private readonly Timer? _poll;
    private string? _current;
    private int _tables;

    private PgVerboseProgress(IProgress<BackupProgress> progress, BackupPhase phase, string program, string? archive)
    {
        _progress = progress;
        _phase = phase;
        _program = program;
        _archive = archive;
        if (archive is not null)
        {
            _poll = new Timer(_ => Report(), null, PollMilliseconds, PollMilliseconds);
        }
    }

    /// <summary>For <c>pg_dump --verbose</c> writing <paramref name="archive"/> (its size is polled); null without a receiver.</summary>
    public static PgVerboseProgress? ForDump(IProgress<BackupProgress>? progress, string archive)
        => progress is null ? null : new PgVerboseProgress(progress, BackupPhase.Dumping, PgTools.PgDump, archive);

    /// <summary>For <c>pg_restore --verbose</c>; null without a receiver.</summary>
    public static PgVerboseProgress? ForRestore(IProgress<BackupProgress>? progress)
        => progress is null ? null : new PgVerboseProgress(progress, BackupPhase.Restoring, PgTools.PgRestore, null);

    /// <summary>Tables whose data was dumped or restored so far.</summary>
    public int TablesDone
    {
        get
        {
            lock (_gate)
            {
                return _tables;
            }
        }
    }

    /// <summary>
    /// Reads one line of the program's standard error (<see cref="PgTools.RunAsync"/>'s <c>errorLine</c>): true when it is a
    /// verbose (information) line, which is consumed.
    /// </summary>
    public bool OnErrorLine(string line)
    {
        var prefix = _program + ": ";
        if (!line.StartsWith(prefix, StringComparison.Ordinal) || NotInformation().IsMatch(line.AsSpan(prefix.Length)))
        {
            return false;
        }

        var match = Item().Match(line, prefix.Length);
        if (match.Success)
        {
            lock (_gate)
            {
                var data = match.Groups["verb"].Value is "dumping contents of" or "processing data for";
                _current = $"{(data ? "table" : match.Groups["kind"].Value)} {match.Groups["name"].Value}";
                if (data)
                {
                    _tables++;
                }
            }

            Report();
        }

        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _poll?.Dispose();

    private void Report()
    {
        lock (_gate)
        {
            long bytes = 0;
            if (_archive is not null)
            {
                try
                {
                    bytes = Directory.Exists(_archive)
                        ? new DirectoryInfo(_archive).EnumerateFiles().Sum(f => f.Length) // pg_dump --format=directory
                        : new FileInfo(_archive).Length;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Not there yet, or renamed: the last size is reported next time.
                }
            }

            // Counted when the program starts a table: the one it works on is not done yet.
            _progress.Report(new BackupProgress(_phase, bytes, _current, _current?.StartsWith("table ", StringComparison.Ordinal) == true ? _tables - 1 : _tables));
        }
    }

    [GeneratedRegex(@"^(?:error|warning|detail|hint|fatal):")]
    private static partial Regex NotInformation();

    [GeneratedRegex(@"\G(?<verb>dumping contents of|processing data for|creating) (?<kind>[A-Za-z ]+?) ""(?<name>.+)""$")]
    private static partial Regex Item();
}
