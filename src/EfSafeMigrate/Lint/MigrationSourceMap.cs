using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>A <c>// safe-migrate: allow SM5xx reason</c> comment.</summary>
/// <param name="Line">1-based line of the comment.</param>
/// <param name="Codes">The codes it allows.</param>
/// <param name="Reason">The reason written after the codes; empty when none was given (then the comment is not honoured).</param>
internal sealed record LintSuppression(int Line, IReadOnlyList<string> Codes, string Reason);

/// <summary>
/// Where the operations of a migration are written in its source file, read as text (never
/// compiled): the <c>migrationBuilder.X(...)</c> calls of <c>Up</c> and <c>Down</c> in order, and the
/// suppression comments. Operation <c>i</c> is matched to the next call whose method name is the
/// operation's type name without <c>Operation</c> (<c>CreateIndexOperation</c> ↔ <c>CreateIndex</c>,
/// <c>SqlOperation</c> ↔ <c>Sql</c>), the way EF Core's <c>MigrationBuilder</c> creates one operation
/// per call; an operation without a matching call (a helper method adding several) has no line.
/// </summary>
internal sealed partial class MigrationSourceMap
{
    private readonly IReadOnlyList<(string Method, int Line)> _up;
    private readonly IReadOnlyList<(string Method, int Line)> _down;

    private MigrationSourceMap(string file, IReadOnlyList<(string, int)> up, IReadOnlyList<(string, int)> down, IReadOnlyList<LintSuppression> suppressions)
    {
        File = file;
        _up = up;
        _down = down;
        Suppressions = suppressions;
    }

    /// <summary>The file (as given to <see cref="Parse"/>).</summary>
    public string File { get; }

    /// <summary>Every suppression comment in the file, by line.</summary>
    public IReadOnlyList<LintSuppression> Suppressions { get; }

    /// <summary>Reads a migration file's text.</summary>
    /// <param name="file">The file's path as findings should show it.</param>
    /// <param name="text">The file's content.</param>
    public static MigrationSourceMap Parse(string file, string text)
    {
        var masked = Mask(text);
        return new MigrationSourceMap(file, Calls(text, masked, "Up"), Calls(text, masked, "Down"), ReadSuppressions(text));
    }

    /// <summary>1-based line of each operation (null when not found), for the <c>Up</c> or <c>Down</c> method.</summary>
    public IReadOnlyList<int?> LinesOf(IReadOnlyList<MigrationOperation> operations, bool down)
    {
        var calls = down ? _down : _up;
        var lines = new List<int?>();
        var next = 0;
        foreach (var operation in operations)
        {
            var name = operation.GetType().Name;
            name = name.EndsWith("Operation", StringComparison.Ordinal) ? name[..^"Operation".Length] : name;
            var found = -1;
            for (var j = next; j < calls.Count; j++)
            {
                if (calls[j].Method == name)
                {
                    found = j;
                    break;
                }
            }

            if (found < 0)
            {
                lines.Add(null);
                continue;
            }

            lines.Add(calls[found].Line);
            next = found + 1;
        }

        return lines;
    }

    /// <summary>The first line of the method's body (for migration-level findings), or null.</summary>
    public int? MethodLine(bool down) => (down ? _down : _up) is { Count: > 0 } calls ? calls[0].Line : null;

    /// <summary>The suppression on <paramref name="line"/> or the line above it that names <paramref name="code"/>, or null.</summary>
    public LintSuppression? SuppressionFor(int? line, string code)
        => line is null ? null : Suppressions.FirstOrDefault(s => (s.Line == line || s.Line == line - 1) && s.Codes.Contains(code, StringComparer.OrdinalIgnoreCase));

    private static List<(string, int)> Calls(string text, string masked, string method)
    {
        var header = MethodHeader(method).Match(masked);
        if (!header.Success)
        {
            return [];
        }

        var parameter = header.Groups["p"].Value;
        var open = masked.IndexOf('{', header.Index + header.Length);
        if (open < 0)
        {
            return [];
        }

        var depth = 0;
        var close = masked.Length;
        for (var i = open; i < masked.Length; i++)
        {
            if (masked[i] == '{')
            {
                depth++;
            }
            else if (masked[i] == '}' && --depth == 0)
            {
                close = i;
                break;
            }
        }

        var body = masked[open..close];
        var calls = new List<(string, int)>();
        foreach (Match call in new Regex(@"\b" + Regex.Escape(parameter) + @"\s*\.\s*(?<m>[A-Za-z_][A-Za-z0-9_]*)\s*(<[^()]*?>)?\s*\(").Matches(body))
        {
            calls.Add((call.Groups["m"].Value, LineAt(text, open + call.Index)));
        }

        return calls;
    }

    private static Regex MethodHeader(string method)
        => new(@"\bvoid\s+" + method + @"\s*\(\s*(?:Microsoft\.EntityFrameworkCore\.Migrations\.)?MigrationBuilder\s+(?<p>[A-Za-z_@][A-Za-z0-9_]*)\s*\)");

    private static int LineAt(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private static IReadOnlyList<LintSuppression> ReadSuppressions(string text)
    {
        var result = new List<LintSuppression>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = SuppressionComment().Match(lines[i]);
            if (match.Success)
            {
                var codes = match.Groups["codes"].Value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToUpperInvariant()).ToList();
                result.Add(new LintSuppression(i + 1, codes, match.Groups["reason"].Value.Trim()));
            }
        }

        return result;
    }

    [GeneratedRegex(@"//\s*safe-migrate:\s*allow\s+(?<codes>SM[0-9]{3}(?:\s*,\s*SM[0-9]{3})*)(?<reason>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex SuppressionComment();

    /// <summary>The text with comments and string/char literals blanked (newlines kept), so that code can be searched with regexes.</summary>
    private static string Mask(string text)
    {
        var sb = new StringBuilder(text);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '/' && At(text, i + 1) == '/')
            {
                var end = text.IndexOf('\n', i);
                end = end < 0 ? text.Length : end;
                Blank(sb, i, end);
                i = end;
            }
            else if (c == '/' && At(text, i + 1) == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + 2;
                Blank(sb, i, end);
                i = end;
            }
            else if (c == '"' && At(text, i + 1) == '"' && At(text, i + 2) == '"')
            {
                var quotes = 0;
                while (At(text, i + quotes) == '"')
                {
                    quotes++;
                }

                var delimiter = new string('"', quotes);
                var end = text.IndexOf(delimiter, i + quotes, StringComparison.Ordinal);
                end = end < 0 ? text.Length : end + quotes;
                Blank(sb, i, end);
                i = end;
            }
            else if (c == '"' || c == '\'')
            {
                var verbatim = i > 0 && (text[i - 1] == '@' || (text[i - 1] == '$' && i > 1 && text[i - 2] == '@'));
                var j = i + 1;
                while (j < text.Length)
                {
                    if (!verbatim && text[j] == '\\')
                    {
                        j += 2;
                        continue;
                    }

                    if (text[j] == c)
                    {
                        if (verbatim && At(text, j + 1) == c)
                        {
                            j += 2;
                            continue;
                        }

                        break;
                    }

                    if (!verbatim && text[j] == '\n')
                    {
                        break;
                    }

                    j++;
                }

                var end = Math.Min(j + 1, text.Length);
                Blank(sb, i, end);
                i = end;
            }
            else
            {
                i++;
            }
        }

        return sb.ToString();
    }

    private static char At(string text, int index) => index < text.Length ? text[index] : '\0';

    private static void Blank(StringBuilder sb, int from, int to)
    {
        for (var k = from; k < to; k++)
        {
            if (sb[k] != '\n' && sb[k] != '\r')
            {
                sb[k] = ' ';
            }
        }
    }
}
