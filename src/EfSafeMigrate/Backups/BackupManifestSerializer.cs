using System.Text;
using System.Text.Json;

namespace EfSafeMigrate.Backups;

/// <summary>
/// Reads and writes sidecar manifests: UTF-8 JSON, camelCase property names, indented.
/// Every property of <see cref="BackupManifest"/> must be present when reading; only
/// <c>headMigration</c> may be <c>null</c>.
/// </summary>
internal static class BackupManifestSerializer
{
    /// <summary>The options used for sidecars.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Serialises a manifest to its JSON text.</summary>
    public static string Serialize(BackupManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.Serialize(manifest, Options);
    }

    /// <summary>Parses a manifest from JSON text and checks its values.</summary>
    /// <exception cref="JsonException">The text is not JSON, a property is missing or has the wrong type,
    /// or a value is out of range (negative size, SHA-256 that is not 64 lower-case hex digits, empty names).</exception>
    public static BackupManifest Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var manifest = JsonSerializer.Deserialize<BackupManifest>(json, Options)
            ?? throw new JsonException("the manifest is null");
        Validate(manifest);
        return manifest;
    }

    /// <summary>Reads the sidecar at <paramref name="manifestPath"/>.</summary>
    /// <exception cref="BackupException">The sidecar is missing, unreadable or malformed; the message names the file.</exception>
    public static BackupManifest Read(string manifestPath)
    {
        string json;
        try
        {
            json = File.ReadAllText(manifestPath, Encoding.UTF8);
        }
        catch (FileNotFoundException ex)
        {
            throw new BackupException($"The backup sidecar '{manifestPath}' does not exist.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"The backup sidecar '{manifestPath}' cannot be read: {ex.Message}", ex);
        }
        try
        {
            return Deserialize(json);
        }
        catch (JsonException ex)
        {
            throw new BackupException($"The backup sidecar '{manifestPath}' is not a valid backup manifest: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Writes the record of a backup whose data lives elsewhere (a restore point in the server's WAL archive, a pgBackRest
    /// backup in its repository): its sidecar alone, in <paramref name="folder"/> (created, private, when missing), for
    /// the name <c>manifest.File</c>, or when a record of that name exists (two in one second) for the name
    /// <paramref name="nameForSequence"/> gives for 2, 3, ... (as <see cref="BackupFileNames.ArchiveName"/> numbers them).
    /// </summary>
    /// <returns>The entry: the path the record stands for (its sidecar is <see cref="BackupFileNames.ManifestPathFor"/> of it) and the manifest as written.</returns>
    /// <exception cref="IOException">The sidecar cannot be written (see <see cref="Write"/>).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static BackupEntry WriteRecord(string folder, BackupManifest manifest, Func<int, string> nameForSequence)
    {
        PrivateFiles.EnsureFolder(folder);
        for (var sequence = 2; File.Exists(BackupFileNames.ManifestPathFor(Path.Combine(folder, manifest.File))); sequence++)
        {
            manifest = manifest with { File = nameForSequence(sequence) };
        }

        var path = Path.Combine(folder, manifest.File);
        Write(BackupFileNames.ManifestPathFor(path), manifest);
        return new BackupEntry(path, manifest);
    }

    /// <summary>
    /// Writes the sidecar to <paramref name="manifestPath"/> so that the file appears whole or not at all: the JSON is
    /// written to <c>&lt;sidecar&gt;.partial</c> (mode 0600), flushed to disk (<c>fsync</c>), and only then renamed to
    /// <paramref name="manifestPath"/>. When writing fails (a full disk, for one), the partial file is deleted and no
    /// sidecar, in particular no empty one, is left. An existing sidecar is never overwritten.
    /// </summary>
    /// <exception cref="IOException">The sidecar exists or cannot be written (the message is the system's, e.g. "No space left on device").</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void Write(string manifestPath, BackupManifest manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(Serialize(manifest) + "\n");
        if (File.Exists(manifestPath))
        {
            throw new IOException($"The backup sidecar '{manifestPath}' already exists.");
        }
        var partial = manifestPath + BackupFileNames.PartialSuffix;
        try
        {
            PrivateFiles.TryDelete(partial); // left by a process killed while writing it
            using (var stream = PrivateFiles.CreateNew(partial))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(partial, manifestPath, overwrite: false);
        }
        catch
        {
            PrivateFiles.TryDelete(partial);
            throw;
        }
    }

    private static void Validate(BackupManifest manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest.File)) throw new JsonException("'file' is empty");
        if (string.IsNullOrEmpty(manifest.Database)) throw new JsonException("'database' is empty");
        if (manifest.SizeBytes < 0) throw new JsonException("'sizeBytes' is negative");
        if (!BackupHasher.IsSha256Hex(manifest.Sha256)) throw new JsonException("'sha256' is not 64 lower-case hexadecimal digits");
        if (string.IsNullOrWhiteSpace(manifest.Format)) throw new JsonException("'format' is empty");
        if (manifest.Format == BackupStrategies.RestorePointFormat && manifest.RestorePoint is null) throw new JsonException("a 'restore-point' backup has no 'restorePoint'");
        if (manifest.Format == BackupStrategies.PgBackRestFormat && manifest.PgBackRest is null) throw new JsonException("a 'pgbackrest' backup has no 'pgBackRest'");
        if (manifest.PgBackRest is { } pgbr && (string.IsNullOrEmpty(pgbr.Stanza) || string.IsNullOrEmpty(pgbr.Label))) throw new JsonException("'pgBackRest' has an empty stanza or label");
        if (manifest.RestorePoint is { } point && (string.IsNullOrEmpty(point.Name) || string.IsNullOrEmpty(point.Lsn))) throw new JsonException("'restorePoint' has an empty name or LSN");
    }
}
