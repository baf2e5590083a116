using System.Text;
using System.Text.Json;

namespace EfSafeMigrate.Backups;

/// <summary>
/// Reads and writes sidecar manifests: UTF-8 JSON, camelCase property names, indented.
/// Every property of <see cref="BackupManifest"/> must be present when reading; only
/// <c>headMigration</c> may be <c>null</c>.
/// </summary>
public static class BackupManifestSerializer
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
    /// Writes the sidecar to <paramref name="manifestPath"/> as a new file with mode 0600 and flushes it
    /// to disk. An existing file is never overwritten.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    public static void Write(string manifestPath, BackupManifest manifest)
    {
        var bytes = Encoding.UTF8.GetBytes(Serialize(manifest) + "\n");
        using var stream = PrivateFiles.CreateNew(manifestPath);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }

    private static void Validate(BackupManifest manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest.File)) throw new JsonException("'file' is empty");
        if (string.IsNullOrEmpty(manifest.Database)) throw new JsonException("'database' is empty");
        if (manifest.SizeBytes < 0) throw new JsonException("'sizeBytes' is negative");
        if (!BackupHasher.IsSha256Hex(manifest.Sha256)) throw new JsonException("'sha256' is not 64 lower-case hexadecimal digits");
        if (string.IsNullOrWhiteSpace(manifest.Format)) throw new JsonException("'format' is empty");
    }
}
