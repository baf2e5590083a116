using System.Security.Cryptography;
using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>Checks of a backup archive and its JSON sidecar against the CLI contract.</summary>
public static class BackupAssertions
{
    /// <summary>
    /// The archive is named <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head migration&gt;.dump</c> (the README: <c>empty</c>
    /// when no migration was applied), archive and sidecar <c>&lt;archive&gt;.json</c> have mode 0600, and the sidecar
    /// describes the archive (size, SHA-256, database, head migration).
    /// </summary>
    public static JsonElement AssertArchive(string archive, string database, string? headMigration)
    {
        Assert.True(File.Exists(archive), $"archive {archive} does not exist");
        var name = Path.GetFileName(archive);
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(database)}_\\d{{8}}_\\d{{6}}_{System.Text.RegularExpressions.Regex.Escape(headMigration ?? "empty")}\\.dump$", name);

        var sidecar = archive + ".json";
        Assert.True(File.Exists(sidecar), $"sidecar {sidecar} does not exist");
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in new[] { archive, sidecar })
            {
                var mode = File.GetUnixFileMode(file);
                Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} has mode {mode}, expected 0600");
            }
        }
        using var document = JsonDocument.Parse(File.ReadAllText(sidecar));
        var manifest = document.RootElement.Clone();

        var fileName = manifest.GetProperty("file").GetString();
        Assert.True(fileName == name || fileName == archive, $"sidecar file = {fileName}, expected {name} or {archive}");
        Assert.Equal(database, manifest.GetProperty("database").GetString());
        var head = manifest.GetProperty("headMigration");
        Assert.Equal(headMigration ?? "", head.ValueKind == JsonValueKind.Null ? "" : head.GetString());
        Assert.Equal(new FileInfo(archive).Length, manifest.GetProperty("sizeBytes").GetInt64());
        var sha256 = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(archive)));
        Assert.Equal(sha256, manifest.GetProperty("sha256").GetString(), ignoreCase: true);
        Assert.False(string.IsNullOrWhiteSpace(manifest.GetProperty("serverVersion").ToString()), "serverVersion is empty");
        Assert.False(string.IsNullOrWhiteSpace(manifest.GetProperty("toolVersion").GetString()), "toolVersion is empty");
        Assert.False(string.IsNullOrWhiteSpace(manifest.GetProperty("format").GetString()), "format is empty");
        Assert.True(DateTimeOffset.TryParse(manifest.GetProperty("createdUtc").GetString(), out _), "createdUtc is not a time");
        return manifest;
    }
}
