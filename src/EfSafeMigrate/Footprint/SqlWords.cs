using System.Text.RegularExpressions;

namespace EfSafeMigrate.Footprint;

/// <summary>
/// The words of a custom SQL text (<c>migrationBuilder.Sql(...)</c>), the one reader of SQL behind
/// <see cref="OperationFootprint"/>. Nothing is parsed: every identifier-like word counts, wherever it
/// stands (bare words, including those inside string literals and comments; the whole of each quoted
/// identifier, with <c>""</c> read as <c>"</c>; the whole of each string literal), and words are
/// compared case-insensitively (ordinal). That over-approximates on purpose: a table is "mentioned"
/// when its name occurs anywhere, so merge and squash refuse rather than risk a wrong answer.
/// </summary>
internal sealed partial class SqlWords
{
    private readonly HashSet<string> _words;

    private SqlWords(HashSet<string> words, string? createsDatabaseObject)
    {
        _words = words;
        CreatesDatabaseObject = createsDatabaseObject;
    }

    /// <summary>
    /// For SQL that creates an extension, a type, a domain or a collation (objects a column definition or a
    /// default can depend on): what it creates, e.g. <c>EXTENSION citext</c> (the first such statement); otherwise null.
    /// </summary>
    public string? CreatesDatabaseObject { get; }

    /// <summary>True when the text contains <c>INSERT</c> or <c>COPY</c> as a word (it may add rows).</summary>
    public bool MayInsert => Contains("INSERT") || Contains("COPY");

    /// <summary>Reads the words of <paramref name="sql"/>.</summary>
    /// <param name="sql">The SQL text, as passed to <c>migrationBuilder.Sql</c>.</param>
    public static SqlWords Read(string sql)
    {
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in BareWord().Matches(sql))
        {
            words.Add(match.Value);
        }

        foreach (Match match in Quoted().Matches(sql))
        {
            words.Add(match.Groups["identifier"].Success ? match.Groups["identifier"].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : match.Groups["literal"].Value.Replace("''", "'", StringComparison.Ordinal));
        }

        words.Remove(string.Empty);
        var creates = CreatesObject().Match(sql) is { Success: true } c ? $"{c.Groups["kind"].Value.ToUpperInvariant()} {c.Groups["name"].Value}" : null;
        return new SqlWords(words, creates);
    }

    /// <summary>True when <paramref name="word"/> (a table, column, index or sequence name) occurs in the text, case-insensitively.</summary>
    public bool Contains(string word) => word.Length > 0 && _words.Contains(word);

    [GeneratedRegex(@"[\p{L}_][\p{L}\p{N}_$]*")]
    private static partial Regex BareWord();

    [GeneratedRegex(@"""(?<identifier>(?:[^""]|"""")+)""|'(?<literal>(?:[^']|'')*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?<kind>EXTENSION|TYPE|DOMAIN|COLLATION)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>""[^""]+""|[\w.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatesObject();
}
