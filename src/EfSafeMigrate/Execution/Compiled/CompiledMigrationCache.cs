using System.Text.Json;

namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// A folder of compiled migration steps, one JSON file per key (<c>&lt;key&gt;.json</c>), and of clean lint verdicts
/// (<c>&lt;key&gt;.lint</c>, text, <see cref="LintVerdicts"/>), in the migrations project's build
/// output (<see cref="DefaultFolder"/>: <c>obj/safe-migrate/compiled/</c>), never in source control. A file that is missing,
/// unreadable, malformed, of another format or for another key is a miss, never an error: the caller generates the SQL with
/// EF Core and writes the file again. Files are written to a temporary name and moved into place, so a reader never sees half
/// a file and two processes filling the same key leave one whole file. A write that fails (read-only folder, full disk) is
/// reported through <see cref="WriteFailed"/> and otherwise ignored: the cache only ever saves time.
/// Thread-safe (no state but the folder): the runs of one <c>apply --fleet</c> share one instance.
/// </summary>
internal sealed class CompiledMigrationCache
{
    /// <summary>The version of the file format; a file of another version is a miss.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Creates a cache on <paramref name="folder"/> (created on the first write).</summary>
    /// <param name="folder">Absolute path of the folder.</param>
    public CompiledMigrationCache(string folder) => Folder = folder;

    /// <summary>The folder that holds the files.</summary>
    public string Folder { get; }

    /// <summary>Called with the path and the error when a file could not be written; null ignores it.</summary>
    public Action<string, Exception>? WriteFailed { get; init; }

    /// <summary>The default folder for a migrations project: <c>&lt;project folder&gt;/obj/safe-migrate/compiled</c> (MSBuild's default <c>BaseIntermediateOutputPath</c>).</summary>
    public static string DefaultFolder(string projectDir) => Path.Combine(projectDir, "obj", "safe-migrate", "compiled");

    /// <summary>The file of a key.</summary>
    public string PathOf(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>The commands stored under <paramref name="key"/>; null when there is no usable file (missing, unreadable, corrupt, other format or key).</summary>
    public IReadOnlyList<CompiledCommand>? TryRead(string key)
    {
        try
        {
            var path = PathOf(key);
            if (!File.Exists(path))
            {
                return null;
            }

            var entry = JsonSerializer.Deserialize<CompiledStepEntry>(File.ReadAllBytes(path), Json);
            return entry is { Format: FormatVersion, Commands: { } commands } && entry.Key == key && commands.All(c => c is { Sql: not null })
                ? commands
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Stores the commands of a step under <paramref name="key"/>, replacing any file there.</summary>
    /// <returns>True when the file was written.</returns>
    public bool Write(string key, string migrationId, string direction, IReadOnlyList<CompiledCommand> commands)
        => WriteFile(PathOf(key), key, JsonSerializer.SerializeToUtf8Bytes(new CompiledStepEntry(FormatVersion, key, migrationId, direction, commands), Json));

    /// <summary>The file of a lint verdict's key.</summary>
    public string VerdictPathOf(string key) => Path.Combine(Folder, key + ".lint");

    /// <summary>
    /// True when a clean lint verdict of <paramref name="migrationId"/> in <paramref name="direction"/> is stored under
    /// <paramref name="key"/> (<see cref="LintVerdicts"/>); false when there is no usable file (missing, unreadable, or not exactly
    /// the text <see cref="WriteCleanVerdict"/> writes for them: corrupt, another format, key, migration or verdict).
    /// </summary>
    public bool HasCleanVerdict(string key, string migrationId, string direction)
    {
        try
        {
            var path = VerdictPathOf(key);
            return File.Exists(path) && File.ReadAllText(path) == CleanVerdict(key, migrationId, direction);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Stores a clean lint verdict under <paramref name="key"/> (a few lines of text), as <see cref="Write"/> stores commands.</summary>
    /// <returns>True when the file was written.</returns>
    public bool WriteCleanVerdict(string key, string migrationId, string direction)
        => WriteFile(VerdictPathOf(key), key, System.Text.Encoding.UTF8.GetBytes(CleanVerdict(key, migrationId, direction)));

    // The whole content of a clean verdict's file: compared as it is, so that reading one costs no parsing.
    private static string CleanVerdict(string key, string migrationId, string direction)
        => $"safe-migrate lint verdict {FormatVersion}\nkey: {key}\nmigration: {migrationId}\ndirection: {direction}\nverdict: clean\n";

    private bool WriteFile(string path, string key, byte[] content)
    {
        var temp = Path.Combine(Folder, $".{key}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllBytes(temp, content);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            WriteFailed?.Invoke(path, ex);
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // a stray temporary file is harmless: it never matches a key
        }
    }
}
