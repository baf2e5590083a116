namespace EfSafeMigrate.Execution;

/// <summary>
/// Makes sure custom SQL (<c>migrationBuilder.Sql(...)</c>) ends with a statement terminator.
/// EF Core copies such SQL into scripts as written; without a closing semicolon the next
/// statement of the script (often the history-table insert) joins it and the script fails in
/// <c>psql</c>. Executing through <c>Migrate()</c> sends each command separately, so the added
/// terminator changes nothing there.
/// </summary>
internal static class SqlStatementTerminator
{
    /// <summary>
    /// Returns <paramref name="sql"/> unchanged when its last significant character (outside
    /// comments, quoted identifiers, string and dollar-quoted literals) is <c>;</c>; otherwise the
    /// SQL with <c>;</c> placed right after that character, keeping any trailing comments after it.
    /// Empty or comment-only SQL is returned unchanged.
    /// </summary>
    public static string EnsureTerminated(string sql)
    {
        var lastSignificant = FindLastSignificant(sql);
        if (lastSignificant < 0 || sql[lastSignificant] == ';')
        {
            return sql;
        }

        return sql.Insert(lastSignificant + 1, ";");
    }

    /// <summary>Index of the last character that is not white space and not inside a comment; -1 when none.</summary>
    private static int FindLastSignificant(string sql)
    {
        var last = -1;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && Next(sql, i) == '-')
            {
                i = SkipUntil(sql, i + 2, "\n");
                continue;
            }

            if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i + 2);
                continue;
            }

            if (c is '\'' or '"')
            {
                var end = SkipQuoted(sql, i + 1, c, backslashEscapes: c == '\'' && IsEscapeStringPrefix(sql, i));
                last = end - 1;
                i = end;
                continue;
            }

            if (c == '$' && (i == 0 || !IsIdentifierChar(sql[i - 1])) && TryReadDollarTag(sql, i, out var tag))
            {
                var end = SkipUntil(sql, i + tag.Length, tag);
                last = end - 1;
                i = end;
                continue;
            }

            if (!char.IsWhiteSpace(c))
            {
                last = i;
            }

            i++;
        }

        return Math.Min(last, sql.Length - 1);
    }

    private static char Next(string s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    private static int SkipUntil(string s, int start, string terminator)
    {
        var end = s.IndexOf(terminator, start, StringComparison.Ordinal);
        return end < 0 ? s.Length : end + terminator.Length;
    }

    private static int SkipBlockComment(string s, int start)
    {
        // PostgreSQL block comments nest.
        var depth = 1;
        var i = start;
        while (i < s.Length && depth > 0)
        {
            if (s[i] == '/' && Next(s, i) == '*') { depth++; i += 2; }
            else if (s[i] == '*' && Next(s, i) == '/') { depth--; i += 2; }
            else { i++; }
        }

        return i;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>True when the quote at <paramref name="quoteIndex"/> opens an escape string (<c>E'...'</c>), where a backslash escapes the next character.</summary>
    private static bool IsEscapeStringPrefix(string s, int quoteIndex)
        => quoteIndex >= 1 && s[quoteIndex - 1] is 'E' or 'e' && (quoteIndex == 1 || !IsIdentifierChar(s[quoteIndex - 2]));

    private static int SkipQuoted(string s, int start, char quote, bool backslashEscapes)
    {
        var i = start;
        while (i < s.Length)
        {
            if (backslashEscapes && s[i] == '\\')
            {
                i += 2;
                continue;
            }

            if (s[i] == quote)
            {
                if (Next(s, i) == quote) { i += 2; continue; }
                return i + 1;
            }

            i++;
        }

        return s.Length;
    }

    private static bool TryReadDollarTag(string s, int start, out string tag)
    {
        // $$ or $identifier$ opens a dollar-quoted literal; $1 is a parameter.
        var i = start + 1;
        while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
        {
            i++;
        }

        if (i < s.Length && s[i] == '$' && (i == start + 1 || !char.IsDigit(s[start + 1])))
        {
            tag = s.Substring(start, i - start + 1);
            return true;
        }

        tag = string.Empty;
        return false;
    }
}
