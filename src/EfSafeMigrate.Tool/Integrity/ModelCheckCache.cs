using System.Buffers;
using System.Text.Json;
using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The model check results of <c>check --build</c> kept between runs (<see cref="IModelCheckCache"/>), in the
/// build output of the migrations project, <c>obj/safe-migrate/model-check-cache</c> (never in source control; a clean
/// build forgets it), beside the compiled migrations: one line per key, the key (64 hex digits), a tab, and nothing for a
/// pass or the finding as base64 of its JSON. Keys are SHA-256 digests of what a result depends on, so an entry is never
/// stale, only unused. A missing, unreadable or foreign-version file is ignored and rewritten; a line that cannot be read
/// back into a finding is a miss (checked again); writing is best effort and never fails a command.
/// </summary>
internal sealed class ModelCheckCache : IModelCheckCache
{
    private const string Header = "safe-migrate model-check-cache 2";
    private const int MaxEntries = 100_000;
    private static readonly SearchValues<char> KeyDigits = SearchValues.Create("0123456789abcdef");
    private readonly string _path;
    private readonly Dictionary<string, Finding?> _results = new(StringComparer.Ordinal);
    private readonly List<string> _added = [];

    private ModelCheckCache(string path) => _path = path;

    /// <summary>The file's path for a migrations project: <c>obj/safe-migrate/model-check-cache</c> under its folder.</summary>
    public static string PathFor(string projectDir) => Path.Combine(projectDir, "obj", "safe-migrate", "model-check-cache");

    /// <summary>Opens (reads) the cache of a migrations project; an absent or unreadable file gives an empty cache.</summary>
    /// <param name="projectDir">The migrations project's folder.</param>
    public static ModelCheckCache Open(string projectDir)
    {
        var cache = new ModelCheckCache(PathFor(projectDir));
        cache.Load();
        return cache;
    }

    /// <summary>The file this cache reads and writes.</summary>
    public string FilePath => _path;

    /// <summary>How many keys were read from the file.</summary>
    public int Loaded { get; private set; }

    /// <inheritdoc />
    public bool TryGet(string key, out Finding? finding) => _results.TryGetValue(key, out finding);

    /// <inheritdoc />
    public void Record(string key, Finding? finding)
    {
        if (!_results.ContainsKey(key))
        {
            _added.Add(key);
        }

        _results[key] = finding;
    }

    /// <summary>Writes the file when keys were added (newest first, at most 100,000); ignores I/O errors.</summary>
    public void Save()
    {
        if (_added.Count == 0)
        {
            return;
        }

        try
        {
            var keys = _added.AsEnumerable().Reverse().Concat(_results.Keys.Except(_added)).Take(MaxEntries);
            var lines = keys.Select(key => key + "\t" + (_results[key] is { } finding ? Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(finding)) : string.Empty));
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllLines(temporary, [Header, .. lines]);
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a cache only: the next run checks again
        }
    }

    private void Load()
    {
        try
        {
            if (!File.Exists(_path))
            {
                return;
            }

            using var reader = new StreamReader(_path);
            if (reader.ReadLine() != Header)
            {
                return;
            }

            while (reader.ReadLine() is { } line)
            {
                if (Parse(line) is { } entry)
                {
                    _results[entry.Key] = entry.Finding;
                }
            }

            Loaded = _results.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _results.Clear();
        }
    }

    // One line: a 64-hex-digit key, a tab, nothing (a pass) or a finding's JSON in base64. Null for anything else.
    private static (string Key, Finding? Finding)? Parse(string line)
    {
        var tab = line.IndexOf('\t', StringComparison.Ordinal);
        if (tab != 64 || line.AsSpan(0, tab).ContainsAnyExcept(KeyDigits))
        {
            return null;
        }

        if (tab + 1 == line.Length)
        {
            return (line[..tab], null);
        }

        try
        {
            return JsonSerializer.Deserialize<Finding>(Convert.FromBase64String(line[(tab + 1)..])) is { Code: not null, Message: not null, Migrations: not null } finding
                ? (line[..tab], finding)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }
}
