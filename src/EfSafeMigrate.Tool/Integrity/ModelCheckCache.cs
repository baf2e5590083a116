using System.Text.Json;
using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The per-migration results of <c>check --build</c> kept between runs (<see cref="IModelCheckCache"/>):
/// one line per key in <c>.git/safe-migrate/model-check-cache</c>, or in the project's
/// <c>obj/safe-migrate/</c> outside a git repository: the key, a tab, and nothing for a pass or the
/// finding as base64 of its JSON. Keys are SHA-256 digests of what a result depends on, so an entry is
/// never stale, only unused. A missing, unreadable or foreign-version file is ignored
/// and rewritten; writing it is best effort and never fails a command.
/// </summary>
internal sealed class ModelCheckCache : IModelCheckCache
{
    private const string Header = "safe-migrate model-check-cache 2";
    private const int MaxEntries = 100_000;
    private readonly string _path;
    private readonly Dictionary<string, Finding?> _results = new(StringComparer.Ordinal);
    private readonly List<string> _added = [];

    private ModelCheckCache(string path) => _path = path;

    /// <summary>Opens the cache of a project: under <paramref name="gitFolder"/> when given, else under the project's <c>obj</c> folder.</summary>
    public static ModelCheckCache Open(string? gitFolder, string projectDir)
    {
        var path = gitFolder is null
            ? Path.Combine(projectDir, "obj", "safe-migrate", "model-check-cache")
            : Path.Combine(gitFolder, "safe-migrate", "model-check-cache");
        var cache = new ModelCheckCache(path);
        cache.Load();
        return cache;
    }

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
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                if (tab != 64)
                {
                    continue;
                }

                _results[line[..tab]] = tab + 1 == line.Length ? null : JsonSerializer.Deserialize<Finding>(Convert.FromBase64String(line[(tab + 1)..]));
            }

            Loaded = _results.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or JsonException or NotSupportedException)
        {
            _results.Clear();
        }
    }
}
