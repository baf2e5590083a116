using System.Globalization;
using System.Text;

namespace EfSafeMigrate.Backups;

/// <summary>
/// The naming rule for backup files:
/// <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head migration or "empty"&gt;.dump</c> (UTC time), with
/// the sidecar manifest at <c>&lt;archive&gt;.json</c> and, while the archive is being written,
/// <c>&lt;archive&gt;.partial</c>. The name is for people; programs read the sidecar, never the name.
/// </summary>
internal static class BackupFileNames
{
    /// <summary>Extension of backup archives: <c>.dump</c>.</summary>
    public const string ArchiveExtension = ".dump";

    /// <summary>Extension of <c>pg_dump --format=directory</c> archives (folders): <c>.dir</c>.</summary>
    public const string DirectoryExtension = ".dir";

    /// <summary>
    /// Extension of restore point entries: <c>.restore-point</c>. Only the sidecar (<c>&lt;name&gt;.restore-point.json</c>)
    /// exists; the entry's path names it without <c>.json</c>.
    /// </summary>
    public const string RestorePointExtension = ".restore-point";

    /// <summary>Extension of pgBackRest entries: <c>.pgbackrest</c>; only the sidecar (<c>&lt;name&gt;.pgbackrest.json</c>) exists.</summary>
    public const string PgBackRestExtension = ".pgbackrest";

    /// <summary>The extensions of record-only entries (restore points, pgBackRest backups).</summary>
    public static readonly IReadOnlyList<string> RecordOnlyExtensions = [RestorePointExtension, PgBackRestExtension];

    /// <summary>The extension of the entries of <paramref name="format"/> (<see cref="BackupStrategies"/>).</summary>
    public static string ExtensionFor(string format) => format switch
    {
        BackupStrategies.DirectoryFormat => DirectoryExtension,
        BackupStrategies.RestorePointFormat => RestorePointExtension,
        BackupStrategies.PgBackRestFormat => PgBackRestExtension,
        _ => ArchiveExtension,
    };

    /// <summary>Appended to the archive's path to name its sidecar manifest: <c>.json</c>.</summary>
    public const string ManifestSuffix = ".json";

    /// <summary>Appended to the archive's path while it is written: <c>.partial</c>.</summary>
    public const string PartialSuffix = ".partial";

    /// <summary>Stands for the head migration when no migration has been applied.</summary>
    public const string EmptyHead = "empty";

    /// <summary>Time stamp format in names (UTC).</summary>
    public const string TimestampFormat = "yyyyMMdd_HHmmss";

    /// <summary>Longest sanitised database or migration part, in characters, so names stay under 255 bytes.</summary>
    public const int MaxPartLength = 100;

    /// <summary>
    /// The archive file name (without folder) for a backup of <paramref name="database"/> started at
    /// <paramref name="createdUtc"/> with <paramref name="headMigration"/> applied.
    /// </summary>
    /// <param name="database">Database name; sanitised with <see cref="Sanitize"/>.</param>
    /// <param name="createdUtc">Start of the dump; converted to UTC, to the second.</param>
    /// <param name="headMigration">Last applied migration id, or <c>null</c> for <see cref="EmptyHead"/>.</param>
    /// <param name="sequence">
    /// 1 for the plain name; 2, 3, ... give <c>&lt;name&gt;_02.dump</c>, <c>&lt;name&gt;_03.dump</c>, used when
    /// several backups of the same database and head start within the same second. The suffix sorts after the
    /// plain name (<c>_</c> comes after <c>.</c>) and is two digits wide, so that the ordinal order of the names
    /// is the order in which the backups started (up to 99 in one second). Archives of earlier versions, named
    /// <c>&lt;name&gt;.2.dump</c>, are still listed: programs read the sidecar, never the name.
    /// </param>
    /// <param name="extension">The entry's extension: <see cref="ArchiveExtension"/> (the default), <see cref="DirectoryExtension"/> or <see cref="RestorePointExtension"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="database"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sequence"/> is less than 1.</exception>
    public static string ArchiveName(string database, DateTimeOffset createdUtc, string? headMigration, int sequence = 1, string extension = ArchiveExtension)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var stamp = createdUtc.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var head = string.IsNullOrEmpty(headMigration) ? EmptyHead : Sanitize(headMigration);
        var counter = sequence == 1 ? "" : "_" + sequence.ToString("D2", CultureInfo.InvariantCulture);
        return $"{Sanitize(database)}_{stamp}_{head}{counter}{extension}";
    }

    /// <summary>The sidecar manifest's path for an archive path: <c>&lt;archive&gt;.json</c>.</summary>
    public static string ManifestPathFor(string archivePath) => archivePath + ManifestSuffix;

    /// <summary>The temporary path an archive is written to: <c>&lt;archive&gt;.partial</c>.</summary>
    public static string PartialPathFor(string archivePath) => archivePath + PartialSuffix;

    /// <summary>
    /// Makes a name part safe in file names on every platform: ASCII letters, digits, <c>_</c>, <c>-</c>
    /// and <c>.</c> are kept, every other character (path separators, spaces, quotes, control and
    /// non-ASCII characters) becomes <c>-</c>; a leading <c>.</c> becomes <c>-</c> (no hidden files);
    /// the result is cut to <see cref="MaxPartLength"/> characters.
    /// </summary>
    public static string Sanitize(string part)
    {
        ArgumentNullException.ThrowIfNull(part);
        var builder = new StringBuilder(Math.Min(part.Length, MaxPartLength));
        foreach (var c in part)
        {
            if (builder.Length == MaxPartLength)
            {
                break;
            }
            var safe = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (c == '.' && builder.Length > 0);
            builder.Append(safe ? c : '-');
        }
        return builder.Length == 0 ? "-" : builder.ToString();
    }
}
