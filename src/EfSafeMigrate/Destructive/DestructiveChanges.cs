using System.Globalization;
using System.Text.RegularExpressions;
using EfSafeMigrate.Footprint;
using EfSafeMigrate.Lint;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Destructive;

/// <summary>
/// Finds the operations of a migration step that lose data (or fail on existing data), for the flags of <c>plan</c>
/// and the confirmation of <c>rollback</c> (where the operations are the <c>Down</c> being run): <c>DropTable</c>,
/// <c>DropColumn</c>, <c>DropSchema</c>, <c>DeleteData</c>, <c>AlterColumn</c> to a shorter length or precision
/// (<see cref="ColumnTypeChange"/>, PostgreSQL's rule: values that do not fit fail the statement) or from nullable to
/// required, and <c>Sql(...)</c> whose text has <c>DELETE</c>, <c>TRUNCATE</c> or <c>DROP TABLE|COLUMN|SCHEMA</c>
/// (read as words, like <see cref="SqlWords"/>: over-approximated on purpose). Objects are named as
/// <see cref="SchemaObject.Describe"/> names them.
/// <para>
/// Counts come from the database as it is now, through <see cref="ILintDatabase"/> (so they are bounded as lint's
/// size probes are: each probe waits at most PostgreSQL's <c>lock_timeout</c> of the probe, and reads at most
/// <see cref="ExactCountBelow"/> rows): a table whose planner estimate (<c>pg_class.reltuples</c>) is under
/// <see cref="ExactCountBelow"/> rows is counted exactly (<c>count(*)</c>); a bigger one shows the estimate. A column's
/// non-null values (and the values a narrowing or NOT NULL change fails on) are counted only in a table under that
/// size, up to that many. A table that does not exist yet (created by an earlier step of the same plan) has no count.
/// </para>
/// </summary>
internal static partial class DestructiveChanges
{
    /// <summary>Tables with fewer rows than this (the planner's estimate) are counted exactly; values are counted up to this many.</summary>
    public const long ExactCountBelow = 100_000;

    /// <summary>
    /// The destructive operations among <paramref name="operations"/>, in their order.
    /// </summary>
    /// <param name="operations">The operations the step runs (<c>Up</c> for an apply, <c>Down</c> for a revert).</param>
    /// <param name="database">The database to count in; null for no counts (e.g. no database yet).</param>
    /// <exception cref="System.Data.Common.DbException">Only from the database: the caller decides whether a count is worth failing for (it is not for <c>plan</c>).</exception>
    public static IReadOnlyList<DestructiveChange> Find(IEnumerable<MigrationOperation> operations, ILintDatabase? database)
    {
        var found = new List<DestructiveChange>();
        foreach (var operation in operations)
        {
            if (Of(operation, database) is { } change)
            {
                found.Add(change);
            }
        }

        return found;
    }

    private static DestructiveChange? Of(MigrationOperation operation, ILintDatabase? database)
    {
        switch (operation)
        {
            case DropTableOperation drop:
            {
                var name = SchemaObject.ForTable(drop.Schema, drop.Name).Describe();
                var size = Size(database, drop.Schema, drop.Name);
                return new DestructiveChange(DestructiveKind.DropTable, name, $"drops {name}{RowsNote(size, "row")}", size?.Rows, size?.Estimated ?? false);
            }

            case DropColumnOperation drop:
            {
                var name = SchemaObject.ForColumn(drop.Schema, drop.Table, drop.Name).Describe();
                var (count, estimated, note) = ColumnCount(database, drop.Schema, drop.Table, drop.Name, NarrowingCheck.Values, null, "non-null value");
                return new DestructiveChange(DestructiveKind.DropColumn, name, $"drops {name}{note}", count, estimated);
            }

            case DropSchemaOperation drop:
                return new DestructiveChange(DestructiveKind.DropSchema, $"schema {drop.Name}", $"drops schema {drop.Name}", null, false);

            case DeleteDataOperation delete:
            {
                var name = SchemaObject.ForTable(delete.Schema, delete.Table).Describe();
                var rows = delete.KeyValues.GetLength(0);
                return new DestructiveChange(DestructiveKind.DeleteData, name, $"deletes {Count(rows)} seeded row(s) from {name}", rows, false);
            }

            case AlterColumnOperation alter when ColumnTypeChange.Classify(alter, out var length) == TypeChangeKind.Narrowing:
            {
                var name = SchemaObject.ForColumn(alter.Schema, alter.Table, alter.Name).Describe();
                var to = alter.ColumnType ?? (length is null ? "a lower precision" : $"max length {length}");
                var (count, estimated, note) = length is null
                    ? (null, false, string.Empty)
                    : ColumnCount(database, alter.Schema, alter.Table, alter.Name, NarrowingCheck.LongerThan, length, "value longer than " + length.Value.ToString(CultureInfo.InvariantCulture), failing: true);
                return new DestructiveChange(DestructiveKind.NarrowColumn, name, $"narrows {name} to {to}{note}", count, estimated);
            }

            case AlterColumnOperation alter when alter.OldColumn.IsNullable && !alter.IsNullable:
            {
                var name = SchemaObject.ForColumn(alter.Schema, alter.Table, alter.Name).Describe();
                var (count, estimated, note) = ColumnCount(database, alter.Schema, alter.Table, alter.Name, NarrowingCheck.Nulls, null, "NULL value", failing: true);
                return new DestructiveChange(DestructiveKind.RequireColumn, name, $"makes {name} NOT NULL{note}", count, estimated);
            }

            case SqlOperation sql when DeletingSql().Match(sql.Sql) is { Success: true } match:
                return new DestructiveChange(DestructiveKind.Sql, "SQL", $"runs SQL that deletes data: {Statement(sql.Sql, match.Index)}", null, false);

            default:
                return null;
        }
    }

    private sealed record Measured(long Rows, bool Estimated, string? Unmeasured);

    private static Measured? Size(ILintDatabase? database, string? schema, string table)
    {
        if (database is null)
        {
            return null;
        }

        var size = database.GetTableSize(new TableRef(schema, table), ExactCountBelow);
        return !size.Exists ? null : new Measured(size.Rows, size.Rows >= ExactCountBelow || size.Unmeasured is not null, size.Unmeasured);
    }

    private static (long? Count, bool Estimated, string Note) ColumnCount(ILintDatabase? database, string? schema, string table, string column, NarrowingCheck check, int? length, string what, bool failing = false)
    {
        var size = Size(database, schema, table);
        if (size is null || database is null)
        {
            return (null, false, string.Empty);
        }

        if (size.Unmeasured is not null || size.Estimated)
        {
            return (null, true, RowsNote(size, "row").Replace(" (", " (table of ", StringComparison.Ordinal));
        }

        var count = database.CountViolations(new TableRef(schema, table), column, check, length, ExactCountBelow);
        if (count is null)
        {
            return (null, false, string.Empty);
        }

        var atLeast = count >= ExactCountBelow;
        var text = $"{(atLeast ? "at least " : string.Empty)}{Count(count.Value)} {what}{(count == 1 ? string.Empty : "s")}";
        return (count, atLeast, $" ({text}{(failing && count > 0 ? ": it fails on them" : string.Empty)})");
    }

    private static string RowsNote(Measured? size, string unit)
    {
        if (size is null)
        {
            return string.Empty;
        }

        if (size.Unmeasured is not null)
        {
            return size.Rows > 0 ? $" (about {Count(size.Rows)} {unit}s, estimated: {size.Unmeasured})" : $" (rows not counted: {size.Unmeasured})";
        }

        return size.Rows switch
        {
            0 => " (empty)",
            1 when !size.Estimated => $" (1 {unit})",
            _ => size.Estimated ? $" (about {Count(size.Rows)} {unit}s, estimated)" : $" ({Count(size.Rows)} {unit}s)",
        };
    }

    private static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    // The statement around the match, on one line, at most 80 characters.
    private static string Statement(string sql, int index)
    {
        var start = sql.LastIndexOf(';', Math.Max(0, index - 1)) + 1;
        var end = sql.IndexOf(';', index);
        var text = Whitespace().Replace(sql[start..(end < 0 ? sql.Length : end)], " ").Trim();
        return text.Length > 80 ? text[..77] + "..." : text;
    }

    [GeneratedRegex(@"\b(?:DELETE|TRUNCATE|DROP\s+(?:TABLE|COLUMN|SCHEMA))\b", RegexOptions.IgnoreCase)]
    private static partial Regex DeletingSql();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
