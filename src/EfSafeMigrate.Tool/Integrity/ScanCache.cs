using System.Text;
using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// Per-file scan results kept between runs in the git folder (<c>.git/safe-migrate/scan-cache</c>),
/// so that a check reads and hashes only files that changed: git blobs are keyed by blob id
/// (content-addressed, never stale), working-tree files by path, size and modification time. A
/// missing, unreadable or foreign-version cache is ignored and rewritten; writing it is best
/// effort and never fails a command.
/// </summary>
internal sealed class ScanCache
{
    private const string Header = "safe-migrate scan-cache 2";
    private const string NotCandidate = "-";
    private const int MaxEntries = 200_000;
    private readonly string? _path;
    private readonly Dictionary<string, FileScan?> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private bool _dirty;

    private ScanCache(string? path) => _path = path;

    /// <summary>A cache stored under <paramref name="gitFolder"/>, or one that stores nothing when it is null.</summary>
    public static ScanCache Open(string? gitFolder)
    {
        var cache = new ScanCache(gitFolder is null ? null : Path.Combine(gitFolder, "safe-migrate", "scan-cache"));
        cache.Load();
        return cache;
    }

    /// <summary>The scan stored under <paramref name="key"/>: found (a scan, or null for "not a candidate file") or not.</summary>
    public bool TryGet(string key, string path, out FileScan? scan)
    {
        if (_entries.TryGetValue(key, out var stored))
        {
            _used.Add(key);
            scan = stored is null ? null : stored with { Path = path };
            return true;
        }

        scan = null;
        return false;
    }

    /// <summary>Stores a scan (null: the file is not a candidate) under <paramref name="key"/>.</summary>
    public void Set(string key, FileScan? scan)
    {
        if (scan is not null && !CanStore(scan))
        {
            return;
        }

        _entries[key] = scan;
        _used.Add(key);
        _dirty = true;
    }

    /// <summary>Writes the cache when it changed, keeping entries used by this run first; ignores I/O errors.</summary>
    public void Save()
    {
        if (_path is null || !_dirty)
        {
            return;
        }

        try
        {
            var text = new StringBuilder(Header).Append('\n');
            foreach (var (key, scan) in _entries.OrderBy(e => _used.Contains(e.Key) ? 0 : 1).Take(MaxEntries))
            {
                text.Append(key).Append('\t');
                if (scan is null)
                {
                    text.Append(NotCandidate).Append('\n');
                    continue;
                }

                text.Append(scan.Digest).Append('\t').Append(string.Join(',', scan.ConflictMarkerLines));
                foreach (var c in scan.Classes)
                {
                    text.Append('\t').Append(c.FullName).Append('|').Append(c.Base).Append('|').Append(c.MigrationId).Append('|').Append(c.Context).Append('|').Append(c.Line).Append('|').Append(c.BaseName).Append('|').Append(c.IsAbstract ? "a" : string.Empty);
                }

                text.Append('\n');
            }

            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllText(temporary, text.ToString());
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a cache only: the next run scans again
        }
    }

    private static bool CanStore(FileScan scan)
        => scan.Classes.All(c => Safe(c.FullName) && Safe(c.MigrationId) && Safe(c.Context) && Safe(c.BaseName));

    private static bool Safe(string? value) => value is null || (value.IndexOfAny(['\t', '\n', '|', '\r']) < 0 && value.Length > 0);

    private void Load()
    {
        if (_path is null || !File.Exists(_path))
        {
            return;
        }

        try
        {
            using var reader = new StreamReader(_path);
            if (reader.ReadLine() != Header)
            {
                return;
            }

            while (reader.ReadLine() is { } line)
            {
                var fields = line.Split('\t');
                if (fields.Length < 2)
                {
                    continue;
                }

                if (fields[1] == NotCandidate)
                {
                    _entries[fields[0]] = null;
                    continue;
                }

                var lines = fields[2].Length == 0 ? [] : fields[2].Split(',').Select(int.Parse).ToList();
                var classes = fields.Skip(3).Select(f => f.Split('|')).Select(p => new ClassDeclaration(
                    p[0], Empty(p[1]), Empty(p[2]), Empty(p[3]), int.Parse(p[4]), Empty(p[5]), p[6] == "a")).ToList();
                _entries[fields[0]] = new FileScan(string.Empty, fields[1], classes, lines);
            }
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            _entries.Clear(); // unreadable: start over
        }
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;
}
