using System.Text;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Npgsql.Squashing;

/// <summary>
/// PostgreSQL's SQL for the guards of squashed migrations in idempotent scripts
/// (<see cref="ISquashScriptGuards"/>), shaped like Npgsql's own guards (<c>NpgsqlHistoryRepository</c>):
/// an anonymous PL/pgSQL block <c>DO $EF$ BEGIN IF … THEN</c> that Npgsql's
/// <see cref="IHistoryRepository.GetEndIfScript"/> closes (<c>END IF; END $EF$;</c>). Errors are
/// <c>RAISE EXCEPTION USING MESSAGE = '…', DETAIL = …</c> (SQLSTATE P0001): psql prints both, and with
/// <c>-v ON_ERROR_STOP=1</c> stops the script there; the transaction EF Core opened for the migration
/// (unless <c>--no-transactions</c>) is rolled back with it. The detail lists, when the error is raised,
/// which of the replaced migrations have history rows and which do not.
/// The history table, its migration id column and the quoting are those of the wrapped Npgsql
/// repository (<see cref="HistoryTableInfo"/>), so <c>MigrationsHistoryTable(name, schema)</c> is honoured.
/// Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Found by <see cref="SquashAwareHistoryRepository.ScriptGuards"/> by its name,
/// <c>EfSafeMigrate.Npgsql.Squashing.NpgsqlSquashScriptGuards, EfSafeMigrate.Npgsql</c>, and created with
/// <see cref="NpgsqlSquashScriptGuards(IHistoryRepository)"/>: keep both.
/// </remarks>
public sealed class NpgsqlSquashScriptGuards : ISquashScriptGuards
{
    private const string Indent = "    ";

    private readonly HistoryTableInfo _table;

    /// <summary>Guards for the history table of Npgsql's history repository.</summary>
    /// <param name="historyRepository">Npgsql's history repository (not a decorator of it).</param>
    /// <exception cref="InvalidOperationException">The repository's table cannot be read (see <see cref="HistoryTableInfo.Of"/>).</exception>
    public NpgsqlSquashScriptGuards(IHistoryRepository historyRepository)
        : this(HistoryTableInfo.Of(historyRepository))
    {
    }

    /// <summary>Guards for a history table.</summary>
    public NpgsqlSquashScriptGuards(HistoryTableInfo table) => _table = table ?? throw new ArgumentNullException(nameof(table));

    /// <summary>
    /// <c>EXISTS(SELECT 1 FROM "__EFMigrationsHistory" WHERE "MigrationId" = '…')</c>, or <c>… IN ('…', '…')</c> for several ids.
    /// </summary>
    /// <exception cref="ArgumentException">No id given.</exception>
    public string AnyRowExists(IReadOnlyList<string> migrationIds)
    {
        ArgumentNullException.ThrowIfNull(migrationIds);
        if (migrationIds.Count == 0)
        {
            throw new ArgumentException("At least one migration id is needed.", nameof(migrationIds));
        }

        var match = migrationIds.Count == 1
            ? $"= {_table.Literal(migrationIds[0])}"
            : $"IN ({string.Join(", ", migrationIds.Select(_table.Literal))})";
        return $"EXISTS(SELECT 1 FROM {_table.DelimitedTable} WHERE {_table.DelimitedMigrationIdColumn} {match})";
    }

    /// <summary>
    /// <c>(SELECT count(*) FROM "__EFMigrationsHistory" WHERE "MigrationId" IN ('…', '…')) = n</c> (the
    /// migration id is the table's primary key, so each id counts once), or <c>EXISTS(…)</c> for one id.
    /// </summary>
    /// <exception cref="ArgumentException">No id given.</exception>
    public string AllRowsExist(IReadOnlyList<string> migrationIds)
    {
        ArgumentNullException.ThrowIfNull(migrationIds);
        if (migrationIds.Count <= 1)
        {
            return AnyRowExists(migrationIds);
        }

        var distinct = migrationIds.Distinct(StringComparer.Ordinal).ToList();
        return $"(SELECT count(*) FROM {_table.DelimitedTable} WHERE {_table.DelimitedMigrationIdColumn} IN " +
               $"({string.Join(", ", distinct.Select(_table.Literal))})) = {distinct.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// <code>
    /// DO $EF$
    /// BEGIN
    ///     IF &lt;check&gt; THEN
    ///         RAISE EXCEPTION USING MESSAGE = '…', DETAIL = …;
    ///     END IF;
    ///     IF &lt;condition&gt; THEN
    /// </code>
    /// (without the first <c>IF</c> when there is no check), for Npgsql's <c>END IF; END $EF$;</c> to close.
    /// </summary>
    public string GetBeginIfScript(string condition, SquashRangeCheck? check)
    {
        ArgumentException.ThrowIfNullOrEmpty(condition);
        var builder = new StringBuilder();
        builder.AppendLine("DO $EF$");
        builder.AppendLine("BEGIN");
        if (check is not null)
        {
            AppendRaiseIf(builder, check, Indent);
        }

        // No line break at the end, like Npgsql's own guards: EF Core appends one.
        builder.Append(Indent).Append("IF ").Append(condition).Append(" THEN");
        return builder.ToString();
    }

    /// <summary>
    /// <code>
    /// DO $EF$
    /// BEGIN
    ///     IF to_regclass('"__EFMigrationsHistory"') IS NOT NULL THEN
    ///         IF &lt;check&gt; THEN
    ///             RAISE EXCEPTION USING MESSAGE = '…', DETAIL = …;
    ///         END IF;
    ///     END IF;
    /// END $EF$;
    /// </code>
    /// <c>to_regclass</c> resolves the table as the script's other statements do (through
    /// <c>search_path</c> when it has no schema) and is null when it does not exist; PL/pgSQL prepares
    /// a statement only when it first runs, so the checks that read the table are never prepared then.
    /// </summary>
    /// <exception cref="ArgumentException">No check given.</exception>
    public string GetRangeCheckScript(IReadOnlyList<SquashRangeCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        if (checks.Count == 0)
        {
            throw new ArgumentException("At least one check is needed.", nameof(checks));
        }

        var builder = new StringBuilder();
        builder.AppendLine("DO $EF$");
        builder.AppendLine("BEGIN");
        builder.Append(Indent).Append("IF to_regclass(").Append(_table.Literal(_table.DelimitedTable)).AppendLine(") IS NOT NULL THEN");
        foreach (var check in checks)
        {
            AppendRaiseIf(builder, check, Indent + Indent);
        }

        builder.Append(Indent).AppendLine("END IF;");
        builder.AppendLine("END $EF$;");
        return builder.ToString();
    }

    private void AppendRaiseIf(StringBuilder builder, SquashRangeCheck check, string indent)
    {
        builder.Append(indent).Append("IF ").Append(check.Condition).AppendLine(" THEN");
        builder.Append(indent).Append(Indent).AppendLine("RAISE EXCEPTION USING");
        builder.Append(indent).Append(Indent).Append(Indent).Append("MESSAGE = ").Append(_table.Literal(check.Message)).AppendLine(",");
        builder.Append(indent).Append(Indent).Append(Indent).Append("DETAIL = ").Append(Detail(check.ReplacedIds)).AppendLine(";");
        builder.Append(indent).AppendLine("END IF;");
    }

    // 'Of the migrations it replaces, applied: a, b; not applied: c.', computed when raised.
    private string Detail(IReadOnlyList<string> replacedIds)
    {
        var column = _table.DelimitedMigrationIdColumn;
        var values = string.Join(", ", replacedIds.Select(id => $"({_table.Literal(id)})"));
        return "(SELECT 'Of the migrations it replaces, applied: ' " +
               $"|| coalesce(string_agg(r.id, ', ' ORDER BY r.id) FILTER (WHERE h.{column} IS NOT NULL), 'none') " +
               "|| '; not applied: ' " +
               $"|| coalesce(string_agg(r.id, ', ' ORDER BY r.id) FILTER (WHERE h.{column} IS NULL), 'none') || '.' " +
               $"FROM (VALUES {values}) AS r(id) LEFT JOIN {_table.DelimitedTable} AS h ON h.{column} = r.id)";
    }
}
