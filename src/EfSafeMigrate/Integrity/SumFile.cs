using System.Text;

namespace EfSafeMigrate.Integrity;

/// <summary>One migration line of <c>safe-migrate.sum</c>.</summary>
/// <param name="Context">Short DbContext name, or <c>-</c> when the migration names none.</param>
/// <param name="Id">Migration id.</param>
/// <param name="Parents">Parent migration ids, empty for the first migration of its context.</param>
/// <param name="Hash">SHA-256 of the migration's files (<see cref="MigrationHasher"/>).</param>
/// <param name="Line">1-based line in the file (0 for entries not read from a file).</param>
public sealed record SumEntry(string Context, string Id, IReadOnlyList<string> Parents, string Hash, int Line = 0);

/// <summary>A <c>head</c> line of <c>safe-migrate.sum</c>: the newest migration of a context.</summary>
/// <param name="Context">Short DbContext name, or <c>-</c>.</param>
/// <param name="Id">Migration id.</param>
/// <param name="Line">1-based line in the file (0 when not read from a file).</param>
public sealed record SumHead(string Context, string Id, int Line = 0);

/// <summary>
/// The integrity file of a migrations folder, <c>safe-migrate.sum</c> (in the spirit of Atlas's
/// <c>atlas.sum</c>): a format line, one line per migration (context, id, parent ids, hash of its
/// files), oldest first per context, and a <c>head</c> line per context naming its newest
/// migration. Two branches that each add a migration both change the head line, so git reports
/// a conflict on it at merge time; an edited or deleted migration no longer matches its line.
/// <code>
/// safe-migrate.sum 1
/// ShopContext 20240101000000_Initial 0 9f86d081884c7d65...
/// ShopContext 20240102000000_AddSku 20240101000000_Initial 2c26b46b68ffc68f...
/// head ShopContext 20240102000000_AddSku
/// </code>
/// Parents are separated by <c>+</c>; <c>0</c> means none. Lines starting with <c>#</c> are comments.
/// </summary>
public sealed class SumFile
{
    /// <summary>The file name.</summary>
    public const string FileName = "safe-migrate.sum";

    /// <summary>The format version this code writes and reads.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The context token for migrations without a <c>[DbContext]</c> attribute.</summary>
    public const string NoContext = "-";

    private const string Magic = "safe-migrate.sum";

    /// <summary>Creates a sum file from entries and heads.</summary>
    public SumFile(IReadOnlyList<SumEntry> entries, IReadOnlyList<SumHead> heads)
    {
        Entries = entries;
        Heads = heads;
    }

    /// <summary>Migration lines, in file order.</summary>
    public IReadOnlyList<SumEntry> Entries { get; }

    /// <summary>Head lines, in file order.</summary>
    public IReadOnlyList<SumHead> Heads { get; }

    /// <summary>Parses the text of a sum file.</summary>
    /// <exception cref="SumFileFormatException">A line is malformed, the format is unknown, or the file holds git conflict markers; names the line.</exception>
    public static SumFile Parse(string text) => Parse(text, keepBothSidesOfConflicts: false);

    /// <summary>
    /// Reads a sum file that may hold git conflict markers, keeping the migration lines of both
    /// sides (first occurrence of an id wins) and dropping head lines inside conflicts; used by
    /// <c>hash</c> so that rewriting a conflicted file keeps both branches' parents and the fork
    /// stays visible.
    /// </summary>
    /// <exception cref="SumFileFormatException">A line other than a conflict marker is malformed.</exception>
    public static SumFile ParseMergingConflicts(string text)
    {
        var parsed = Parse(text, keepBothSidesOfConflicts: true);
        return new SumFile(parsed.Entries.DistinctBy(e => (e.Context, e.Id)).ToList(), parsed.Heads);
    }

    private static SumFile Parse(string text, bool keepBothSidesOfConflicts)
    {
        var inConflict = false;
        var entries = new List<SumEntry>();
        var heads = new List<SumHead>();
        var lines = MigrationHasher.Normalize(text).Split('\n');
        var sawFormat = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.StartsWith("<<<<<<<", StringComparison.Ordinal) || line.StartsWith("=======", StringComparison.Ordinal) || line.StartsWith(">>>>>>>", StringComparison.Ordinal))
            {
                if (!keepBothSidesOfConflicts)
                {
                    throw new SumFileFormatException(number, "it holds git conflict markers: two branches changed the migrations", conflict: true);
                }

                inConflict = !line.StartsWith(">>>>>>>", StringComparison.Ordinal);
                continue;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!sawFormat)
            {
                if (fields.Length != 2 || fields[0] != Magic || !int.TryParse(fields[1], out var format))
                {
                    throw new SumFileFormatException(number, $"the first line must be '{Magic} {CurrentFormat}'");
                }

                if (format != CurrentFormat)
                {
                    throw new SumFileFormatException(number, $"format {format} is not known to this version of safe-migrate (it reads format {CurrentFormat}); update the tool");
                }

                sawFormat = true;
                continue;
            }

            if (fields[0] == "head")
            {
                if (fields.Length != 3)
                {
                    throw new SumFileFormatException(number, "a head line is 'head <context> <migration id>'");
                }

                if (!inConflict)
                {
                    heads.Add(new SumHead(fields[1], fields[2], number));
                }

                continue;
            }

            if (fields.Length != 4 || fields[3].Length != 64)
            {
                throw new SumFileFormatException(number, "a migration line is '<context> <migration id> <parent ids or 0> <sha256>'");
            }

            var parents = fields[2] == "0" ? [] : fields[2].Split('+');
            entries.Add(new SumEntry(fields[0], fields[1], parents, fields[3], number));
        }

        if (!sawFormat)
        {
            throw new SumFileFormatException(1, $"the file is empty; the first line must be '{Magic} {CurrentFormat}'");
        }

        return new SumFile(entries, heads);
    }

    /// <summary>The file's text: format line, a comment, migration lines, head lines; LF line endings.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(Magic).Append(' ').Append(CurrentFormat).Append('\n');
        text.Append("# Written by 'dotnet safe-migrate hash'. One line per migration: context, id, parent ids (0: none), SHA-256 of its files.\n");
        text.Append("# A git conflict here means two branches each added a migration: run 'dotnet safe-migrate check'.\n");
        foreach (var entry in Entries)
        {
            text.Append(entry.Context).Append(' ').Append(entry.Id).Append(' ')
                .Append(entry.Parents.Count == 0 ? "0" : string.Join('+', entry.Parents)).Append(' ')
                .Append(entry.Hash).Append('\n');
        }

        foreach (var head in Heads)
        {
            text.Append("head ").Append(head.Context).Append(' ').Append(head.Id).Append('\n');
        }

        return text.ToString();
    }
}
