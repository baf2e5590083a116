using System.Security.Cryptography;
using System.Text;

namespace EfSafeMigrate.Integrity;

/// <summary>
/// The checksum of a migration: SHA-256 over its files, each as its file name, a newline, its
/// text with a leading BOM removed and CRLF/CR line endings turned into LF, and a newline; files
/// in ordinal order of name. A CRLF checkout therefore hashes like an LF one, and moving the
/// folder does not change the hash.
/// </summary>
public static class MigrationHasher
{
    /// <summary>The hash of a migration's files, lower-case hex.</summary>
    public static string Hash(IEnumerable<SourceFile> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file.Name + "\n" + Normalize(file.Content) + "\n"));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

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
