using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>Quoting and naming rules of PostgreSQL used when building SQL and libpq arguments.</summary>
internal static class PgSql
{
    /// <summary>Longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1); longer ones are silently cut.</summary>
    public const int MaxIdentifierBytes = 63;

    /// <summary>A quoted identifier: <c>"a""b"</c> for <c>a"b</c>. Case and every character are kept.</summary>
    /// <summary>Runs one statement (no parameters) on an open connection.</summary>
    /// <exception cref="NpgsqlException">The statement failed.</exception>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string QuoteIdentifier(string name)
    {
        CheckIdentifier(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// A string literal with quotes doubled, for utility statements that take no parameters
    /// (CREATE DATABASE options). Relies on <c>standard_conforming_strings = on</c>, the default since 9.1;
    /// a value with a backslash is written as an escape string (<c>E'...'</c>) so it is right either way.
    /// </summary>
    public static string QuoteLiteral(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A PostgreSQL string cannot contain a NUL character.", nameof(value));
        }
        var doubled = value.Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal)
            ? "E'" + doubled.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + doubled + "'";
    }

    /// <summary>
    /// A libpq connection string that names only the database (<c>dbname='a b'</c>), for <c>--dbname</c>:
    /// libpq reads a value containing <c>=</c> as a connection string, so any database name is taken
    /// literally, and host, user and password still come from the environment.
    /// </summary>
    public static string ConninfoDatabase(string database) =>
        "dbname='" + database.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    /// <summary>Throws when <paramref name="name"/> cannot be a PostgreSQL identifier as it is (empty, NUL, over 63 bytes).</summary>
    public static void CheckIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal) || Encoding.UTF8.GetByteCount(name) > MaxIdentifierBytes)
        {
            throw new ArgumentException($"\"{name}\" is not a valid PostgreSQL name (1 to {MaxIdentifierBytes} bytes, no NUL character).", nameof(name));
        }
    }

    /// <summary>
    /// A new name derived from <paramref name="baseName"/>: <c>&lt;base&gt;_&lt;tag&gt;_&lt;8 random hex digits&gt;</c>,
    /// the base cut (on a character boundary) so that the whole stays within 63 bytes.
    /// </summary>
    public static string DerivedName(string baseName, string tag)
    {
        var suffix = "_" + tag + "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var budget = MaxIdentifierBytes - Encoding.UTF8.GetByteCount(suffix);
        var prefix = new StringBuilder();
        var used = 0;
        foreach (var rune in baseName.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
            {
                break;
            }
            prefix.Append(rune.ToString());
        }
        return prefix + suffix;
    }
}
