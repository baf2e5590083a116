using System.Text;
using System.Text.RegularExpressions;

namespace EfSafeMigrate.Lint;

/// <summary>One classified statement.</summary>
/// <param name="Text">The statement, trimmed, without its terminator.</param>
/// <param name="Kind">What it does.</param>
/// <param name="Table">The table it works on, when it names one.</param>
/// <param name="Concurrently">True for <c>CREATE/DROP INDEX CONCURRENTLY</c>.</param>
/// <param name="NotValid">True for <c>ADD CONSTRAINT ... NOT VALID</c>.</param>
/// <param name="HasWhere">True for <c>UPDATE</c>/<c>DELETE</c> with a <c>WHERE</c> clause.</param>
/// <param name="Detail">For <see cref="SqlStatementKind.CreateIndex"/>: the index name when given; for <see cref="SqlStatementKind.AddConstraint"/>: <c>FOREIGN KEY</c>, <c>CHECK</c>, <c>UNIQUE</c> or <c>PRIMARY KEY</c> (with <c>USING INDEX</c> when so); for maintenance: the command.</param>
internal sealed record SqlStatement(string Text, SqlStatementKind Kind, TableRef? Table, bool Concurrently = false, bool NotValid = false, bool HasWhere = false, string? Detail = null)
{
    /// <summary>The first line of the statement, cut to 80 characters, for messages.</summary>
    public string Short
    {
        get
        {
            var line = Regex.Replace(Text, @"\s+", " ");
            return line.Length <= 80 ? line : line[..77] + "...";
        }
    }
}

/// <summary>
/// A plain statement classifier for custom SQL (<c>migrationBuilder.Sql(...)</c>): splits on
/// <c>;</c> outside comments, quoted identifiers, string and dollar-quoted literals, then reads the
/// leading keywords. It does not parse SQL; a statement it does not recognise is reported as such
/// rather than guessed. Unquoted identifiers are folded to lower case, as PostgreSQL does.
/// </summary>
internal static partial class SqlStatementClassifier
{
    private const string Ident = @"(?:""(?:[^""]|"""")+""|[A-Za-z_][A-Za-z0-9_$]*)";
    private const string QualifiedIdent = Ident + @"(?:\s*\.\s*" + Ident + ")?";

    /// <summary>The statements of <paramref name="sql"/>, classified, in order (empty statements skipped).</summary>
    public static IReadOnlyList<SqlStatement> Classify(string sql) => Split(sql).Select(ClassifyOne).ToList();

    /// <summary>Splits SQL into statements (without terminators, comments removed, trimmed).</summary>
    public static IReadOnlyList<string> Split(string sql)
    {
        var statements = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i + 1) == '-')
            {
                var end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end;
                current.Append(' ');
                continue;
            }

            if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                current.Append(' ');
                continue;
            }

            if (c is '\'' or '"')
            {
                var j = i + 1;
                while (j < sql.Length && !(sql[j] == c && At(sql, j + 1) != c))
                {
                    j += sql[j] == c ? 2 : 1;
                }

                j = Math.Min(j + 1, sql.Length);
                current.Append(sql, i, j - i);
                i = j;
                continue;
            }

            if (c == '$' && DollarTag().Match(sql, i) is { Success: true } tag && tag.Index == i)
            {
                var end = sql.IndexOf(tag.Value, i + tag.Length, StringComparison.Ordinal);
                end = end < 0 ? sql.Length : end + tag.Length;
                current.Append(sql, i, end - i);
                i = end;
                continue;
            }

            if (c == ';')
            {
                Flush();
                i++;
                continue;
            }

            current.Append(c);
            i++;
        }

        Flush();
        return statements;

        void Flush()
        {
            var text = current.ToString().Trim();
            if (text.Length > 0)
            {
                statements.Add(text);
            }

            current.Clear();
        }
    }

    /// <summary>Classifies one statement (no terminator).</summary>
    public static SqlStatement ClassifyOne(string text)
    {
        var s = Regex.Replace(text, @"\s+", " ").Trim();
        Match m;
        if ((m = Regex.Match(s, @"^CREATE (?:UNIQUE )?INDEX (?<c>CONCURRENTLY )?(?:IF NOT EXISTS )?(?:(?<i>" + Ident + @") )?ON (?:ONLY )?(?<t>" + QualifiedIdent + ")", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.CreateIndex, Table(m.Groups["t"].Value), Concurrently: m.Groups["c"].Success,
                Detail: m.Groups["i"].Success ? Table(m.Groups["i"].Value).Name : null);
        }

        if ((m = Regex.Match(s, @"^DROP INDEX (?<c>CONCURRENTLY )?", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.DropIndex, null, Concurrently: m.Groups["c"].Success);
        }

        if ((m = Regex.Match(s, @"^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(?<t>" + QualifiedIdent + @") (?<rest>.*)$", RegexOptions.IgnoreCase)).Success)
        {
            return AlterTable(text, Table(m.Groups["t"].Value), m.Groups["rest"].Value);
        }

        if ((m = Regex.Match(s, @"^UPDATE (?:ONLY )?(?<t>" + QualifiedIdent + @")", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.Update, Table(m.Groups["t"].Value), HasWhere: Regex.IsMatch(s, @"\bWHERE\b", RegexOptions.IgnoreCase));
        }

        if ((m = Regex.Match(s, @"^DELETE FROM (?:ONLY )?(?<t>" + QualifiedIdent + @")", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.Delete, Table(m.Groups["t"].Value), HasWhere: Regex.IsMatch(s, @"\bWHERE\b", RegexOptions.IgnoreCase));
        }

        if ((m = Regex.Match(s, @"^INSERT INTO (?<t>" + QualifiedIdent + @")", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.Insert, Table(m.Groups["t"].Value), HasWhere: Regex.IsMatch(s, @"\bSELECT\b", RegexOptions.IgnoreCase));
        }

        if ((m = Regex.Match(s, @"^(?<cmd>LOCK(?: TABLE)?|TRUNCATE(?: TABLE)?|CLUSTER|VACUUM (?:\([^)]*FULL[^)]*\)|FULL)|REINDEX (?:\((?:[^)]*)\) )?(?:TABLE|INDEX|SCHEMA|DATABASE|SYSTEM)(?! CONCURRENTLY))(?: ONLY)?(?: (?<t>" + QualifiedIdent + "))?", RegexOptions.IgnoreCase)).Success)
        {
            return new SqlStatement(text, SqlStatementKind.LockingMaintenance, m.Groups["t"].Success ? Table(m.Groups["t"].Value) : null, Detail: m.Groups["cmd"].Value.ToUpperInvariant());
        }

        if (Regex.IsMatch(s, @"^(CREATE (OR REPLACE )?(TABLE|(MATERIALIZED )?VIEW|FUNCTION|PROCEDURE|TRIGGER|EXTENSION|SCHEMA|SEQUENCE|TYPE|DOMAIN|COLLATION|POLICY|ROLE)|COMMENT ON|GRANT|REVOKE|SET|RESET|SELECT|ANALYZE|VACUUM|REINDEX|NOTIFY|DROP (VIEW|FUNCTION|PROCEDURE|TRIGGER|TYPE|SEQUENCE|MATERIALIZED VIEW|POLICY|EXTENSION)|ALTER (SEQUENCE|FUNCTION|VIEW|TYPE|EXTENSION)|CALL)\b", RegexOptions.IgnoreCase))
        {
            return new SqlStatement(text, SqlStatementKind.Harmless, null);
        }

        return new SqlStatement(text, SqlStatementKind.Unclassified, null);
    }

    private static SqlStatement AlterTable(string text, TableRef table, string rest)
    {
        Match m;
        if ((m = Regex.Match(rest, @"^ADD (?:CONSTRAINT " + Ident + @" )?(?<kind>FOREIGN KEY|CHECK|UNIQUE|PRIMARY KEY|EXCLUDE)", RegexOptions.IgnoreCase)).Success)
        {
            var kind = m.Groups["kind"].Value.ToUpperInvariant();
            var usingIndex = Regex.IsMatch(rest, @"\bUSING INDEX\b", RegexOptions.IgnoreCase) && kind is "UNIQUE" or "PRIMARY KEY";
            return new SqlStatement(text, SqlStatementKind.AddConstraint, table, NotValid: Regex.IsMatch(rest, @"\bNOT VALID\b", RegexOptions.IgnoreCase), Detail: usingIndex ? kind + " USING INDEX" : kind);
        }

        if (Regex.IsMatch(rest, @"^ALTER (?:COLUMN )?" + Ident + @" SET NOT NULL", RegexOptions.IgnoreCase))
        {
            return new SqlStatement(text, SqlStatementKind.SetNotNull, table);
        }

        if (Regex.IsMatch(rest, @"^ALTER (?:COLUMN )?" + Ident + @" (?:SET DATA )?TYPE\b", RegexOptions.IgnoreCase))
        {
            return new SqlStatement(text, SqlStatementKind.AlterColumnType, table);
        }

        if (Regex.IsMatch(rest, @"^ADD (?:COLUMN )?", RegexOptions.IgnoreCase))
        {
            var volatileDefault = Regex.IsMatch(rest, @"\bDEFAULT\b.*\b(random|gen_random_uuid|uuid_generate_v[14]|clock_timestamp|timeofday|nextval)\s*\(", RegexOptions.IgnoreCase)
                                  || Regex.IsMatch(rest, @"\bGENERATED ALWAYS AS\b.*\bSTORED\b|\b(big|small)?serial\b|\bGENERATED (ALWAYS|BY DEFAULT) AS IDENTITY\b", RegexOptions.IgnoreCase);
            return new SqlStatement(text, volatileDefault ? SqlStatementKind.AddColumnRewrite : SqlStatementKind.Harmless, table);
        }

        if (Regex.IsMatch(rest, @"^(VALIDATE CONSTRAINT|DROP CONSTRAINT|ALTER (?:COLUMN )?" + Ident + @" (DROP NOT NULL|SET DEFAULT|DROP DEFAULT|SET STATISTICS)|OWNER TO|ENABLE|DISABLE)\b", RegexOptions.IgnoreCase))
        {
            return new SqlStatement(text, SqlStatementKind.Harmless, table);
        }

        return new SqlStatement(text, SqlStatementKind.Unclassified, table);
    }

    /// <summary>A table name as written in SQL: quoted parts keep their case, unquoted ones fold to lower case.</summary>
    public static TableRef Table(string qualified)
    {
        var parts = Regex.Matches(qualified, Ident).Select(p => p.Value.StartsWith('"') ? p.Value[1..^1].Replace("\"\"", "\"") : p.Value.ToLowerInvariant()).ToList();
        return parts.Count == 2 ? new TableRef(parts[0], parts[1]) : new TableRef(null, parts[^1]);
    }

    private static char At(string text, int index) => index < text.Length ? text[index] : '\0';

    [GeneratedRegex(@"\$[A-Za-z_]*\$")]
    private static partial Regex DollarTag();
}
