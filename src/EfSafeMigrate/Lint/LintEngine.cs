using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>
/// Runs the rules over migrations and decides each finding's severity: the rule's default, then
/// <see cref="LintOptions.SeverityOverrides"/>, then — with a database — the table's real size (a
/// size-dependent finding on a small or not yet existing table drops to info, saying why; a narrowing
/// change that existing rows would fail is an error whatever the size), then a suppression comment
/// with a reason (info, the reason kept in <see cref="LintFinding.Suppressed"/>).
/// Tables created by an earlier operation of the same migration are new: rules report no lock on them.
/// Table sizes are read once per table per run. Not thread-safe.
/// </summary>
internal sealed class LintEngine
{
    private readonly LintOptions _options;
    private readonly ILintDatabase? _database;
    private readonly Dictionary<TableRef, TableSize> _sizes = [];

    /// <summary>Creates an engine.</summary>
    /// <param name="options">Rules, thresholds and overrides.</param>
    /// <param name="database">Where table sizes come from; null lints without a database (rules' default severities).</param>
    public LintEngine(LintOptions options, ILintDatabase? database)
    {
        _options = options;
        _database = database;
    }

    /// <summary>Lints the migrations, in the order given.</summary>
    /// <exception cref="Exception">Reading a table's size failed (the database's error).</exception>
    public LintReport Run(IEnumerable<LintMigration> migrations)
    {
        var ids = new List<string>();
        var findings = new List<LintFinding>();
        foreach (var migration in migrations)
        {
            ids.Add(migration.Id);
            findings.AddRange(Lint(migration));
        }

        return new LintReport(ids, findings, _database?.Describe());
    }

    /// <summary>The findings of one migration, ordered by operation.</summary>
    public IReadOnlyList<LintFinding> Lint(LintMigration migration)
    {
        var ops = migration.Operations;
        var lines = migration.Source?.LinesOf(ops, migration.IsRevert) ?? ops.Select(_ => (int?)null).ToList();
        var methodLine = migration.Source?.MethodLine(migration.IsRevert);
        var results = new List<(int Order, LintFinding Finding)>();
        var newTables = new HashSet<TableRef>();
        for (var i = 0; i < ops.Count; i++)
        {
            var context = new OperationContext(migration, ops[i], i, new HashSet<TableRef>(newTables));
            foreach (var rule in _options.Rules.Rules)
            {
                foreach (var hit in rule.CheckOperation(context))
                {
                    results.Add((i, Finish(rule, migration, hit, ops[i], lines[i] ?? methodLine)));
                }
            }

            if (ops[i] is CreateTableOperation created)
            {
                newTables.Add(new TableRef(created.Schema, created.Name));
            }
        }

        foreach (var rule in _options.Rules.Rules)
        {
            foreach (var hit in rule.CheckMigration(migration))
            {
                var index = hit.OperationIndex;
                var op = index is { } k && k < ops.Count ? ops[k] : null;
                var line = index is { } j && j < lines.Count ? lines[j] ?? methodLine : MigrationLine(migration);
                results.Add((index ?? int.MaxValue, Finish(rule, migration, hit, op, line)));
            }
        }

        return results.OrderBy(r => r.Order).Select(r => r.Finding).ToList();
    }

    // Migration-level findings (about Down) point at the Down method when there is one, else at Up.
    private static int? MigrationLine(LintMigration migration)
        => migration.Source?.MethodLine(down: true) ?? migration.Source?.MethodLine(down: migration.IsRevert);

    private LintFinding Finish(LintRule rule, LintMigration migration, LintHit hit, MigrationOperation? operation, int? line)
    {
        var severity = _options.SeverityOverrides.TryGetValue(rule.Code, out var configured) ? configured : rule.DefaultSeverity;
        string? reason = severity != rule.DefaultSeverity ? $"severity of {rule.Code} set to {Name(severity)} by configuration" : null;
        long? rows = null, bytes = null, failing = null;
        if (_database is not null && hit.Table is { } table)
        {
            var size = Size(table);
            rows = size.Unmeasured is not null && size.Rows == 0 ? null : size.Rows; // unknown, not "empty"
            bytes = size.Bytes;
            if (hit.Narrowing is { } check && hit.Column is { } column && size.Exists)
            {
                failing = _database.CountViolations(table, column, check, hit.NarrowedLength, _options.ViolationCountLimit);
            }

            if (failing > 0)
            {
                var bound = failing >= _options.ViolationCountLimit ? "at least " : string.Empty;
                severity = LintSeverity.Error;
                reason = $"{bound}{failing} existing row(s) of {table} would fail ({(CheckText(hit))})";
            }
            else if (hit.SizeDependent && severity != LintSeverity.Info)
            {
                if (!size.Exists)
                {
                    severity = LintSeverity.Info;
                    reason = $"{table} does not exist in the database yet (an earlier migration of this run creates it), so it is empty: nothing to lock or rewrite";
                }
                else if (size.Unmeasured is { } why)
                {
                    reason = why; // no measurement: the rule's own severity stands
                }
                else if (size.Rows < _options.SmallTableRows && size.Bytes < _options.SmallTableBytes)
                {
                    severity = LintSeverity.Info;
                    reason = $"{table} is small (~{size.Rows:N0} rows, {FormatBytes(size.Bytes)}; under {_options.SmallTableRows:N0} rows and {FormatBytes(_options.SmallTableBytes)}), so the lock is short";
                }
                else
                {
                    reason = $"{table} has ~{size.Rows:N0} rows, {FormatBytes(size.Bytes)}";
                }
            }
        }

        string? suppressed = null;
        if (migration.Source?.SuppressionFor(line, rule.Code) is { } suppression)
        {
            if (suppression.Reason.Length > 0)
            {
                suppressed = suppression.Reason;
                severity = LintSeverity.Info;
                reason = $"allowed by '// safe-migrate: allow {rule.Code}' on line {suppression.Line}: {suppression.Reason}";
            }
            else
            {
                reason = (reason is null ? string.Empty : reason + "; ") + $"the suppression comment on line {suppression.Line} gives no reason, so it is not honoured";
            }
        }

        return new LintFinding(
            rule.Code,
            severity,
            migration.Id,
            migration.Direction,
            hit.OperationText ?? (operation is null ? "migration" : OperationSummary.Describe(operation)),
            hit.Table?.ToString(),
            hit.Column,
            hit.Lock,
            hit.RewritesTable,
            hit.ScansTable,
            rows,
            bytes,
            failing,
            hit.Message,
            hit.Fix,
            migration.Source?.File,
            line,
            reason,
            suppressed);

        static string CheckText(LintHit h) => h.Narrowing == NarrowingCheck.Nulls ? $"NULL in {h.Column}" : $"{h.Column} longer than {h.NarrowedLength} characters";
    }

    private TableSize Size(TableRef table)
    {
        if (!_sizes.TryGetValue(table, out var size))
        {
            size = _database!.GetTableSize(table, _options.SmallTableRows);
            _sizes[table] = size;
        }

        return size;
    }

    /// <summary><c>error</c>, <c>warning</c> or <c>info</c>.</summary>
    public static string Name(LintSeverity severity) => severity.ToString().ToLowerInvariant();

    /// <summary>
    /// Bytes as <c>12 KB</c>, <c>3.4 MB</c>, <c>1.2 GB</c> (powers of 1024, one decimal, invariant culture): the same form as
    /// the tool's <c>HumanFormat.Bytes</c> (Humanizer's <c>ByteSize</c>), for the lint messages this library writes itself.
    /// </summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(bytes, 0)} B"),
        < 1024 * 1024 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.#} GB"),
    };
}
