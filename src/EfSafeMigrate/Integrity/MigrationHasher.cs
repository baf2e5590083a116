using System.Security.Cryptography;
using System.Text;

namespace EfSafeMigrate.Integrity;

/// <summary>
/// The checksum of a migration: SHA-256 over its files in ordinal order of file name, each
/// contributing its name, a newline, its digest (<see cref="FileDigest"/>) and a newline. A
/// file's digest is the SHA-256 of its text with a leading BOM removed and CRLF/CR line endings
/// turned into LF, so a CRLF checkout hashes like an LF one, and moving the folder does not
/// change the hash. Per-file digests let unchanged files be taken from a cache.
/// </summary>
internal static class MigrationHasher
{
    /// <summary>The hash of a migration's files, lower-case hex.</summary>
    public static string Hash(IEnumerable<SourceFile> files)
        => Combine(files.Select(f => (f.Name, FileDigest(f.Content))));

    /// <summary>The hash of a migration from its files' names and digests, lower-case hex.</summary>
    public static string Combine(IEnumerable<(string Name, string Digest)> files)
    {
        var text = new StringBuilder();
        foreach (var (name, digest) in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append(name).Append('\n').Append(digest).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>SHA-256 of a file's text after <see cref="Normalize"/>, lower-case hex.</summary>
    public static string FileDigest(string content)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalize(content))));

    /// <summary>Text with a leading BOM removed and every line ending as LF.</summary>
    public static string Normalize(string content)
    {
        if (content.Length > 0 && content[0] == '\uFEFF')
        {
            content = content[1..];
        }

        return content.Contains('\r') ? content.Replace("\r\n", "\n").Replace('\r', '\n') : content;
    }
}
