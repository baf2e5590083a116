using EfSafeMigrate.Consistency;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The per-migration results of <c>check --build</c> kept between runs (<see cref="IModelCheckCache"/>):
/// one key per line in <c>.git/safe-migrate/model-check-cache</c>, or in the project's
/// <c>obj/safe-migrate/</c> outside a git repository. Keys are SHA-256 digests of what a result depends
/// on, so an entry is never stale, only unused. A missing, unreadable or foreign-version file is ignored
/// and rewritten; writing it is best effort and never fails a command.
/// </summary>
public sealed class ModelCheckCache : IModelCheckCache
{
    private const string Header = "safe-migrate model-check-cache 1";
    private const int MaxEntries = 100_000;
    private readonly string _path;
    private readonly HashSet<string> _passed = new(StringComparer.Ordinal);
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
    public bool Passed(string key) => _passed.Contains(key);

    /// <inheritdoc />
    public void RecordPassed(string key)
    {
        if (_passed.Add(key))
        {
            _added.Add(key);
        }
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
            var keys = _added.AsEnumerable().Reverse().Concat(_passed.Except(_added)).Take(MaxEntries);
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temporary = _path + "." + Environment.ProcessId + ".tmp";
            File.WriteAllLines(temporary, [Header, .. keys]);
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

            while (reader.ReadLine() is { Length: 64 } key)
            {
                _passed.Add(key);
            }

            Loaded = _passed.Count;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _passed.Clear();
        }
    }
}
