namespace EfSafeMigrate.Backups;

/// <summary>
/// A file in a backup folder that looks like part of a backup but cannot be used: an archive
/// whose sidecar is missing or malformed, or a sidecar whose archive is missing.
/// </summary>
/// <param name="Path">Full path of the archive (or of the sidecar, when the archive is missing).</param>
/// <param name="Reason">Why it cannot be used, as a complete sentence naming the file.</param>
internal sealed record UnreadableBackup(string Path, string Reason);
