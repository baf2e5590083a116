using System.Text;

namespace EfSafeMigrate.Integrity;

/// <summary>One migration line of <c>safe-migrate.sum</c>.</summary>
/// <param name="Context">Short DbContext name, or <c>-</c> when the migration names none.</param>
/// <param name="Id">Migration id.</param>
/// <param name="Parents">Parent migration ids, empty for the first migration of its context.</param>
/// <param name="Hash">SHA-256 of the migration's files (<see cref="MigrationHasher"/>).</param>
/// <param name="Line">1-based line in the file (0 for entries not read from a file).</param>
internal sealed record SumEntry(string Context, string Id, IReadOnlyList<string> Parents, string Hash, int Line = 0);

/// <summary>A <c>head</c> line of <c>safe-migrate.sum</c>: the newest migration of a context.</summary>
/// <param name="Context">Short DbContext name, or <c>-</c>.</param>
/// <param name="Id">Migration id.</param>
/// <param name="Line">1-based line in the file (0 when not read from a file).</param>
internal sealed record SumHead(string Context, string Id, int Line = 0);

/// <summary>
/// A <c>baseline</c> line of <c>safe-migrate.sum</c> (format 2): the history of a context up to and
/// including this migration was accepted as it is (Flyway's and Atlas's baseline), so the model tier
/// of <c>check --build</c> checks only migrations whose ids sort after it (ordinally).
/// </summary>
/// <param name="Context">Short DbContext name, or <c>-</c>.</param>
/// <param name="Id">The last accepted migration id.</param>
/// <param name="Line">1-based line in the file (0 when not read from a file).</param>
internal sealed record SumBaseline(string Context, string Id, int Line = 0);

/// <summary>
/// The integrity file of a migrations folder, <c>safe-migrate.sum</c> (in the spirit of Atlas's
/// <c>atlas.sum</c>): a format line, one line per migration (context, id, parent ids, hash of its
/// files), oldest first per context, optional <c>baseline</c> lines, and a <c>head</c> line per
/// context naming its newest migration. Two branches that each add a migration both change the
/// head line, so git reports a conflict on it at merge time; an edited or deleted migration no
/// longer matches its line.
/// <code>
/// safe-migrate.sum 1
/// ShopContext 20240101000000_Initial 0 9f86d081884c7d65...
/// ShopContext 20240102000000_AddSku 20240101000000_Initial 2c26b46b68ffc68f...
/// head ShopContext 20240102000000_AddSku
/// </code>
/// Parents are separated by <c>+</c>; <c>0</c> means none. Lines starting with <c>#</c> are comments.
/// <para>
/// Format 1 splits lines on spaces, so it cannot hold an id with a space, a <c>+</c> or a quote (EF
/// Core accepts any characters in a migration name). Format 2 is format 1 plus quoting: a value that
/// is not a plain token is written in double quotes, with <c>\"</c>, <c>\\</c>, <c>\n</c>, <c>\r</c>
/// and <c>\t</c> escapes (<c>ShopContext "20230113175441_Fix Navigation Properties" 0 ...</c>;
/// parents <c>"a b"+"c d"</c>), and it may hold <c>baseline &lt;context&gt; &lt;id&gt;</c> lines.
/// <see cref="Format"/> writes format 1 when nothing needs format 2, so existing files and older
/// versions of the tool keep working, and format 2 otherwise; both are read.
/// </para>
/// </summary>
internal sealed class SumFile
{
    /// <summary>The file name.</summary>
    public const string FileName = "safe-migrate.sum";

    /// <summary>The newest format version this code writes and reads (quoted values, baseline lines).</summary>
    public const int CurrentFormat = 2;

    /// <summary>The original format: plain tokens only, no baseline lines; still read, and written when it suffices.</summary>
    public const int LegacyFormat = 1;

    /// <summary>The context token for migrations without a <c>[DbContext]</c> attribute.</summary>
    public const string NoContext = "-";

    private const string Magic = "safe-migrate.sum";

    /// <summary>Creates a sum file from entries and heads.</summary>
    public SumFile(IReadOnlyList<SumEntry> entries, IReadOnlyList<SumHead> heads)
        : this(entries, heads, [])
    {
    }

    /// <summary>Creates a sum file from entries, heads and baselines.</summary>
    public SumFile(IReadOnlyList<SumEntry> entries, IReadOnlyList<SumHead> heads, IReadOnlyList<SumBaseline> baselines)
    {
        Entries = entries;
        Heads = heads;
        Baselines = baselines;
    }

    /// <summary>Migration lines, in file order.</summary>
    public IReadOnlyList<SumEntry> Entries { get; }

    /// <summary>Head lines, in file order.</summary>
    public IReadOnlyList<SumHead> Heads { get; }

    /// <summary>Baseline lines (at most one per context is written), in file order.</summary>
    public IReadOnlyList<SumBaseline> Baselines { get; }

    /// <summary>The format <see cref="Format"/> writes: 1 when every value is a plain token and there is no baseline, else 2.</summary>
    public int RequiredFormat
        => Baselines.Count > 0
           || Entries.Any(e => NeedsQuotes(e.Context) || NeedsQuotes(e.Id) || e.Parents.Any(NeedsQuotes))
           || Heads.Any(h => NeedsQuotes(h.Context) || NeedsQuotes(h.Id))
            ? CurrentFormat
            : LegacyFormat;

    /// <summary>The baseline of a context, or null when it has none.</summary>
    public SumBaseline? BaselineOf(string context) => Baselines.LastOrDefault(b => b.Context == context);

    /// <summary>Parses the text of a sum file (format 1 or 2).</summary>
    /// <exception cref="SumFileFormatException">A line is malformed, the format is unknown, or the file holds git conflict markers; names the line.</exception>
    public static SumFile Parse(string text) => Parse(text, keepBothSidesOfConflicts: false);

    /// <summary>
    /// Reads a sum file that may hold git conflict markers (any of git's conflict styles: merge, diff3, zdiff3),
    /// keeping the migration lines of both sides (first occurrence of an id wins), dropping the common ancestor's
    /// section (diff3/zdiff3) and head lines inside conflicts; used by
    /// <c>hash</c> so that rewriting a conflicted file keeps both branches' parents and the fork
    /// stays visible.
    /// </summary>
    /// <exception cref="SumFileFormatException">A line other than a conflict marker is malformed.</exception>
    public static SumFile ParseMergingConflicts(string text)
    {
        var parsed = Parse(text, keepBothSidesOfConflicts: true);
        return new SumFile(parsed.Entries.DistinctBy(e => (e.Context, e.Id)).ToList(), parsed.Heads, parsed.Baselines.DistinctBy(b => b.Context).ToList());
    }

    /// <summary>
    /// The kind of a git conflict marker line, or null: <c>&lt;</c> (<c>&lt;&lt;&lt;&lt;&lt;&lt;&lt; ours</c>), <c>|</c> (the common
    /// ancestor's section of the diff3 and zdiff3 conflict styles, <c>||||||| base</c>), <c>=</c> (<c>=======</c>) or
    /// <c>&gt;</c> (<c>&gt;&gt;&gt;&gt;&gt;&gt;&gt; theirs</c>). git writes seven marker characters, then a space and a label or nothing.
    /// </summary>
    private static char? ConflictMarker(string line)
    {
        foreach (var marker in "<|=>")
        {
            var run = new string(marker, 7);
            if (line.StartsWith(run, StringComparison.Ordinal) && (line.Length == 7 || line[7] == ' '))
            {
                return marker;
            }
        }

        return null;
    }

    private static SumFile Parse(string text, bool keepBothSidesOfConflicts)
    {
        var inConflict = false;
        var inBase = false;
        var entries = new List<SumEntry>();
        var heads = new List<SumHead>();
        var baselines = new List<SumBaseline>();
        var lines = MigrationHasher.Normalize(text).Split('\n');
        var format = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (ConflictMarker(line) is { } marker)
            {
                if (!keepBothSidesOfConflicts)
                {
                    throw new SumFileFormatException(number, "it holds git conflict markers: two branches changed the migrations", conflict: true);
                }

                inConflict = marker != '>';
                inBase = marker == '|';
                continue;
            }

            if (inBase)
            {
                continue; // diff3/zdiff3's common ancestor: its lines are on one side or the other, or were removed there
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (format == 0)
            {
                var formatFields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (formatFields.Length != 2 || formatFields[0] != Magic || !int.TryParse(formatFields[1], out format))
                {
                    throw new SumFileFormatException(number, $"the first line must be '{Magic} {LegacyFormat}' or '{Magic} {CurrentFormat}'");
                }

                if (format is not (LegacyFormat or CurrentFormat))
                {
                    throw new SumFileFormatException(number, $"format {format} is not known to this version of safe-migrate (it reads formats {LegacyFormat} and {CurrentFormat}); update the tool");
                }

                continue;
            }

            if (keepBothSidesOfConflicts && line.StartsWith(Magic + " ", StringComparison.Ordinal)
                && int.TryParse(line[(Magic.Length + 1)..], out var otherFormat) && otherFormat is LegacyFormat or CurrentFormat)
            {
                format = Math.Max(format, otherFormat); // one branch wrote format 2, the other format 1: format 1 lines read as format 2
                continue;
            }

            var fields = format == LegacyFormat ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries) : SplitFields(line, number);
            if (fields[0] is "head" or "baseline")
            {
                if (fields.Length != 3)
                {
                    throw new SumFileFormatException(number, $"a {fields[0]} line is '{fields[0]} <context> <migration id>'");
                }

                if (fields[0] == "baseline" && format == LegacyFormat)
                {
                    throw new SumFileFormatException(number, $"baseline lines need format {CurrentFormat} (first line '{Magic} {CurrentFormat}')");
                }

                var context = Value(fields[1], format, number);
                var id = Value(fields[2], format, number);
                if (fields[0] == "baseline")
                {
                    baselines.Add(new SumBaseline(context, id, number));
                }
                else if (!inConflict)
                {
                    heads.Add(new SumHead(context, id, number));
                }

                continue;
            }

            if (fields.Length != 4 || fields[3].Length != 64)
            {
                throw new SumFileFormatException(number, format == LegacyFormat
                    ? "a migration line is '<context> <migration id> <parent ids or 0> <sha256>'"
                    : "a migration line is '<context> <migration id> <parent ids or 0> <sha256>' (values with spaces, '+', '\"' or '\\' in double quotes)");
            }

            IReadOnlyList<string> parents = fields[2] == "0" ? [] : format == LegacyFormat ? fields[2].Split('+') : Values(fields[2], splitOnPlus: true, number);
            entries.Add(new SumEntry(Value(fields[0], format, number), Value(fields[1], format, number), parents, fields[3], number));
        }

        if (format == 0)
        {
            throw new SumFileFormatException(1, $"the file is empty; the first line must be '{Magic} {CurrentFormat}'");
        }

        return new SumFile(entries, heads, baselines);
    }

    /// <summary>
    /// The file's text: format line, a comment, migration lines, baseline lines, head lines; LF line
    /// endings. Format 1 when it suffices, else format 2 (<see cref="RequiredFormat"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The text would not read back as these lines (a bug: nothing may write a file its own reader rejects).</exception>
    public string Format()
    {
        var format = RequiredFormat;
        var text = new StringBuilder();
        text.Append(Magic).Append(' ').Append(format).Append('\n');
        text.Append("# Written by 'dotnet safe-migrate hash'. One line per migration: context, id, parent ids (0: none), SHA-256 of its files.\n");
        if (format == CurrentFormat)
        {
            text.Append("# Format 2: values with spaces, '+', '\"' or '\\' are in double quotes; a baseline line names the last migration 'check --build' accepts as it is.\n");
        }

        text.Append("# A git conflict here means two branches each added a migration: run 'dotnet safe-migrate check'.\n");
        foreach (var entry in Entries)
        {
            text.Append(Token(entry.Context)).Append(' ').Append(Token(entry.Id)).Append(' ')
                .Append(entry.Parents.Count == 0 ? "0" : string.Join('+', entry.Parents.Select(Token))).Append(' ')
                .Append(entry.Hash).Append('\n');
        }

        foreach (var baseline in Baselines)
        {
            text.Append("baseline ").Append(Token(baseline.Context)).Append(' ').Append(Token(baseline.Id)).Append('\n');
        }

        foreach (var head in Heads)
        {
            text.Append("head ").Append(Token(head.Context)).Append(' ').Append(Token(head.Id)).Append('\n');
        }

        var written = text.ToString();
        EnsureReadsBack(written);
        return written;
    }

    /// <summary>True when a value cannot be written as a plain format-1 token.</summary>
    public static bool NeedsQuotes(string value)
        => value.Length == 0 || value is "0" or "head" or "baseline" || value[0] == '#'
           || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\\' or '+');

    private static string Token(string value)
    {
        if (!NeedsQuotes(value))
        {
            return value;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private void EnsureReadsBack(string written)
    {
        SumFile again;
        try
        {
            again = Parse(written);
        }
        catch (SumFileFormatException ex)
        {
            throw new InvalidOperationException($"{FileName} would not read back ({ex.Message}); nothing was written.", ex);
        }

        static string Key(string context, string id) => context + "\n" + id;
        var same = again.Entries.Count == Entries.Count
                   && again.Entries.Zip(Entries).All(p => p.First.Context == p.Second.Context && p.First.Id == p.Second.Id && p.First.Hash == p.Second.Hash && p.First.Parents.SequenceEqual(p.Second.Parents))
                   && again.Heads.Select(h => Key(h.Context, h.Id)).SequenceEqual(Heads.Select(h => Key(h.Context, h.Id)))
                   && again.Baselines.Select(b => Key(b.Context, b.Id)).SequenceEqual(Baselines.Select(b => Key(b.Context, b.Id)));
        if (!same)
        {
            throw new InvalidOperationException($"{FileName} would not read back as written (a migration id or context the format cannot hold); nothing was written.");
        }
    }

    // Format 2: fields are separated by spaces outside double quotes.
    private static string[] SplitFields(string line, int number)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted && c == '\\' && i + 1 < line.Length)
            {
                current.Append(c).Append(line[++i]);
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }

            if (!quoted && c is ' ' or '\t')
            {
                if (current.Length > 0)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                }

                continue;
            }

            current.Append(c);
        }

        if (quoted)
        {
            throw new SumFileFormatException(number, "a double quote is not closed");
        }

        if (current.Length > 0)
        {
            fields.Add(current.ToString());
        }

        return [.. fields];
    }

    private static string Value(string field, int format, int number)
        => format == LegacyFormat ? field : Values(field, splitOnPlus: false, number) is [var single] ? single : throw new SumFileFormatException(number, $"'{field}' is not one value");

    // Format 2: a field is plain characters and quoted parts; '+' outside quotes separates parents.
    private static List<string> Values(string field, bool splitOnPlus, int number)
    {
        var values = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        var sawQuotes = false;
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (quoted)
            {
                if (c == '"')
                {
                    quoted = false;
                }
                else if (c == '\\')
                {
                    var next = i + 1 < field.Length ? field[++i] : throw new SumFileFormatException(number, $"'{field}' ends with a lone '\\'");
                    current.Append(next switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        '"' or '\\' => next,
                        _ => throw new SumFileFormatException(number, $"'\\{next}' is not an escape sequence (\\\" \\\\ \\n \\r \\t)"),
                    });
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
                sawQuotes = true;
            }
            else if (c == '+' && splitOnPlus)
            {
                Add();
            }
            else
            {
                current.Append(c);
            }
        }

        Add();
        return values;

        void Add()
        {
            if (current.Length == 0 && !sawQuotes)
            {
                throw new SumFileFormatException(number, $"'{field}' holds an empty value");
            }

            values.Add(current.ToString());
            current.Clear();
            sawQuotes = false;
        }
    }
}
