using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squash;

/// <summary>
/// What a custom operation touches, as far as it can be told without running it. A data operation
/// names its table and columns. For <c>Sql(...)</c> every identifier-like word of the text counts
/// (quoted or not, compared case-insensitively, string literals included): a table is mentioned when
/// its name occurs, a column when both its table's name and its own occur. That over-approximates on
/// purpose: a squash is refused rather than risked.
/// </summary>
public sealed partial class OperationFootprint
{
    private readonly HashSet<string> _words;
    private readonly string? _table;
    private readonly HashSet<string> _columns;
    private readonly bool _inserts;

    private OperationFootprint(HashSet<string> words, string? table, HashSet<string> columns, bool inserts, string? createsDatabaseObject)
    {
        _words = words;
        _table = table;
        _columns = columns;
        _inserts = inserts;
        CreatesDatabaseObject = createsDatabaseObject;
    }

    /// <summary>
    /// For SQL that creates an extension, a type, a domain or a collation (objects a column
    /// definition or a default can depend on): what it creates, e.g. <c>EXTENSION citext</c>; otherwise null.
    /// </summary>
    public string? CreatesDatabaseObject { get; }

    /// <summary>The footprint of a custom operation (SQL or data); empty for other operations.</summary>
    public static OperationFootprint Of(MigrationOperation operation)
    {
        switch (operation)
        {
            case SqlOperation sql:
            {
                var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (Match match in Identifier().Matches(sql.Sql))
                {
                    words.Add(match.Groups["quoted"].Success ? match.Groups["quoted"].Value.Replace("\"\"", "\"") : match.Groups["bare"].Value);
                }

                var creates = CreatesObject().Match(sql.Sql) is { Success: true } c ? $"{c.Groups["kind"].Value.ToUpperInvariant()} {c.Groups["name"].Value}" : null;
                return new OperationFootprint(words, null, [], words.Contains("INSERT") || words.Contains("COPY"), creates);
            }

            case InsertDataOperation insert:
                return new OperationFootprint([], insert.Table, new HashSet<string>(insert.Columns, StringComparer.Ordinal), inserts: true, null);
            case UpdateDataOperation update:
                return new OperationFootprint([], update.Table, new HashSet<string>(update.KeyColumns.Concat(update.Columns), StringComparer.Ordinal), inserts: false, null);
            case DeleteDataOperation delete:
                return new OperationFootprint([], delete.Table, new HashSet<string>(delete.KeyColumns, StringComparer.Ordinal), inserts: false, null);
            case RestartSequenceOperation restart:
                return new OperationFootprint(new HashSet<string>([restart.Name], StringComparer.OrdinalIgnoreCase), null, [], inserts: false, null);
            default:
                return new OperationFootprint([], null, [], inserts: false, null);
        }
    }

    /// <summary>True when it uses the table (or a sequence, a view or anything else of that name).</summary>
    public bool MentionsTable(string table) => _table is null ? _words.Contains(table) : _table == table;

    /// <summary>True when it uses that column of that table.</summary>
    public bool MentionsColumn(string table, string column)
        => _table is null ? _words.Contains(table) && _words.Contains(column) : _table == table && _columns.Contains(column);

    /// <summary>True when it inserts rows into the table (an <c>InsertData</c>, or SQL that mentions the table and INSERT or COPY).</summary>
    public bool InsertsInto(string table) => _inserts && MentionsTable(table);

    [GeneratedRegex(@"""(?<quoted>(?:[^""]|"""")+)""|(?<bare>[A-Za-z_][A-Za-z0-9_$]*)")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?<kind>EXTENSION|TYPE|DOMAIN|COLLATION)\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<name>""[^""]+""|[\w.]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CreatesObject();
}
