using System.Security.Cryptography;

namespace EfSafeMigrate.Backups;

/// <summary>SHA-256 of backup archives, as recorded in the sidecar manifest.</summary>
internal static class BackupHasher
{
    private const int BufferSize = 1 << 20;

    /// <summary>
    /// Computes the SHA-256 of a file's content, reading it as a stream (constant memory,
    /// whatever the file's size).
    /// </summary>
    /// <param name="path">The file to hash.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>64 lower-case hexadecimal digits.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file is not readable.</exception>
    public static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Synchronous form of <see cref="ComputeSha256Async"/>.</summary>
    /// <returns>64 lower-case hexadecimal digits.</returns>
    public static string ComputeSha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// The SHA-256 and total size of a <c>pg_dump --format=directory</c> archive: the files directly in
    /// <paramref name="folder"/> (pg_dump writes no subfolders), in ordinal order of their names, each hashed with
    /// <see cref="ComputeSha256Async"/>; the result is the SHA-256 of the UTF-8 text of lines
    /// <c>&lt;sha256&gt;  &lt;file name&gt;</c>, each ended by a line feed (the form <c>sha256sum</c> prints, so it can be checked by hand).
    /// A file added, removed, renamed or changed changes the result.
    /// </summary>
    /// <param name="folder">The archive folder.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>64 lower-case hexadecimal digits, and the sum of the files' sizes in bytes.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file is not readable.</exception>
    public static async Task<(string Sha256, long SizeBytes)> ComputeFolderSha256Async(string folder, CancellationToken cancellationToken = default)
    {
        var files = Directory.GetFiles(folder);
        Array.Sort(files, StringComparer.Ordinal);
        var lines = new System.Text.StringBuilder();
        long size = 0;
        foreach (var file in files)
        {
            lines.Append(await ComputeSha256Async(file, cancellationToken).ConfigureAwait(false)).Append("  ").Append(Path.GetFileName(file)).Append('\n');
            size += new FileInfo(file).Length;
        }
        return (Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines.ToString()))), size);
    }

    /// <summary>Whether <paramref name="value"/> is a SHA-256 in the manifest's form: 64 lower-case hex digits.</summary>
    public static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
}
