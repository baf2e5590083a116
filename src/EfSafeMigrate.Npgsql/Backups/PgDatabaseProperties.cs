using System.Text;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// The properties of an existing database that a replacement must keep: owner, encoding and locale.
/// Read from <c>pg_database</c> with <c>SELECT *</c> so that version-specific columns
/// (<c>datlocprovider</c> 15+, <c>daticulocale</c> 15–16, <c>datlocale</c> 17+) are used only when present.
/// </summary>
internal sealed record PgDatabaseProperties(
    string Owner,
    bool CurrentUserCanOwnAs,
    string Encoding,
    string Collate,
    string CType,
    char? LocaleProvider,
    string? ProviderLocale)
{
    /// <summary>Reads the properties of <paramref name="database"/>; <c>null</c> when it does not exist.</summary>
    public static async Task<PgDatabaseProperties?> ReadAsync(NpgsqlConnection connection, string database)
    {
        await using var command = new NpgsqlCommand(
            "SELECT d.*, pg_get_userbyid(d.datdba) AS sm_owner, pg_has_role(d.datdba, 'MEMBER') AS sm_member, " +
            "pg_encoding_to_char(d.encoding) AS sm_encoding FROM pg_database d WHERE d.datname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = database });
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            return null;
        }
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToHashSet(StringComparer.Ordinal);
        string? Text(string column) =>
            columns.Contains(column) && !reader.IsDBNull(reader.GetOrdinal(column)) ? Convert.ToString(reader.GetValue(reader.GetOrdinal(column))) : null;

        var provider = Text("datlocprovider");
        return new PgDatabaseProperties(
            Owner: reader.GetString(reader.GetOrdinal("sm_owner")),
            CurrentUserCanOwnAs: reader.GetBoolean(reader.GetOrdinal("sm_member")),
            Encoding: reader.GetString(reader.GetOrdinal("sm_encoding")),
            Collate: Text("datcollate") ?? "",
            CType: Text("datctype") ?? "",
            LocaleProvider: string.IsNullOrEmpty(provider) ? null : provider[0],
            ProviderLocale: Text("datlocale") ?? Text("daticulocale"));
    }

    /// <summary>
    /// <c>CREATE DATABASE "name" TEMPLATE template0 ...</c> with these properties; the owner only when the
    /// current user may create objects owned by it (a member of the role, or superuser). <c>template0</c>
    /// is the template <c>pg_restore</c> expects: it holds no local additions that would collide with the archive.
    /// </summary>
    public string CreateStatement(string name, bool withOwner)
    {
        var sql = new StringBuilder("CREATE DATABASE ").Append(PgSql.QuoteIdentifier(name)).Append(" TEMPLATE template0");
        sql.Append(" ENCODING ").Append(PgSql.QuoteLiteral(Encoding));
        switch (LocaleProvider)
        {
            case 'i' when !string.IsNullOrEmpty(ProviderLocale):
                sql.Append(" LOCALE_PROVIDER icu ICU_LOCALE ").Append(PgSql.QuoteLiteral(ProviderLocale));
                break;
            case 'b' when !string.IsNullOrEmpty(ProviderLocale):
                sql.Append(" LOCALE_PROVIDER builtin BUILTIN_LOCALE ").Append(PgSql.QuoteLiteral(ProviderLocale));
                break;
            case 'c':
                sql.Append(" LOCALE_PROVIDER libc");
                break;
        }
        if (Collate.Length > 0)
        {
            sql.Append(" LC_COLLATE ").Append(PgSql.QuoteLiteral(Collate));
        }
        if (CType.Length > 0)
        {
            sql.Append(" LC_CTYPE ").Append(PgSql.QuoteLiteral(CType));
        }
        if (withOwner && CurrentUserCanOwnAs)
        {
            sql.Append(" OWNER ").Append(PgSql.QuoteIdentifier(Owner));
        }
        return sql.ToString();
    }
}
