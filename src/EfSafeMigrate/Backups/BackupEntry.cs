namespace EfSafeMigrate.Backups;

/// <summary>A backup archive on disk together with its sidecar manifest.</summary>
/// <param name="Path">Full path of the archive file.</param>
/// <param name="Manifest">The archive's sidecar manifest.</param>
internal sealed record BackupEntry(string Path, BackupManifest Manifest)
{
    /// <summary>Full path of the JSON sidecar: the archive path with <c>.json</c> appended.</summary>
    public string ManifestPath => Path + ".json";
}
