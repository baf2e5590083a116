using System.Globalization;
using System.Text.RegularExpressions;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// A PostgreSQL release, as far as compatibility goes. From PostgreSQL 10 on the major version is the
/// first number (<c>15.18</c> is major 15); before, it was the first two (<c>9.6.24</c> is major 9.6).
/// </summary>
/// <param name="Major">First number of the version.</param>
/// <param name="Minor">Second number: part of the major version before PostgreSQL 10, the minor release after.</param>
internal sealed partial record PgVersion(int Major, int Minor)
{
    /// <summary>The major version as people write it: <c>15</c>, or <c>9.6</c> before PostgreSQL 10.</summary>
    public string MajorLabel => Major >= 10
        ? Major.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    /// <summary>A number that orders major versions: 1500 for 15, 906 for 9.6.</summary>
    public int MajorKey => Major >= 10 ? Major * 100 : Major * 100 + Minor;

    /// <summary>Whether this major version is older than <paramref name="other"/>'s.</summary>
    public bool IsOlderMajorThan(PgVersion other) => MajorKey < other.MajorKey;

    /// <summary>
    /// Reads the version from a program's <c>--version</c> output, e.g.
    /// <c>pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)</c>, <c>pg_dump (PostgreSQL) 9.6.0</c>,
    /// <c>pg_dump (PostgreSQL) 18beta1</c>.
    /// </summary>
    /// <returns><c>null</c> when the text holds no PostgreSQL version.</returns>
    public static PgVersion? ParseVersionOutput(string? output)
    {
        if (output is null)
        {
            return null;
        }
        var match = VersionPattern().Match(output);
        if (!match.Success)
        {
            return null;
        }
        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minor = match.Groups[2].Success ? int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        return new PgVersion(major, minor);
    }

    /// <summary>
    /// From the server's <c>server_version_num</c> setting: 150018 is 15.18, 90624 is 9.6.24.
    /// </summary>
    public static PgVersion FromServerVersionNum(int versionNum) =>
        versionNum >= 100000
            ? new PgVersion(versionNum / 10000, versionNum % 10000)
            : new PgVersion(versionNum / 10000, versionNum / 100 % 100);

    /// <summary>The version as <c>major.minor</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();
}
