namespace EfSafeMigrate.Lint;

/// <summary>
/// One thing <c>lint</c> found about one operation (or one migration). The same record feeds the
/// human output and <c>--json</c>.
/// </summary>
/// <param name="Code">Stable rule code, e.g. <c>SM501</c> (<see cref="LintRule.Code"/>).</param>
/// <param name="Severity">The severity after configuration, table sizes and suppressions.</param>
/// <param name="Migration">The migration id.</param>
/// <param name="Direction"><c>up</c> or <c>down</c>: which method of the migration the operation belongs to.</param>
/// <param name="Operation">The operation, e.g. <c>create index IX_Items_Name</c>; for migration-level findings, <c>migration</c>.</param>
/// <param name="Table">The table concerned (schema-qualified when the operation names a schema), or null.</param>
/// <param name="Column">The column concerned, or null.</param>
/// <param name="Lock">PostgreSQL's lock mode the statement takes on <paramref name="Table"/> (<see cref="LockModes"/>), or null when it takes none worth naming.</param>
/// <param name="RewritesTable">True when PostgreSQL rewrites the whole table (and its indexes).</param>
/// <param name="ScansTable">True when PostgreSQL reads every row while holding <paramref name="Lock"/>.</param>
/// <param name="Rows">Estimated rows of the table (<c>pg_class.reltuples</c>), with a database; else null.</param>
/// <param name="Bytes">Total size of the table with indexes and TOAST in bytes (<c>pg_total_relation_size</c>), with a database; else null.</param>
/// <param name="FailingRows">For narrowing changes with a database: existing rows that would fail or be truncated (counted up to a bound; see the message); else null.</param>
/// <param name="Message">What is wrong and why, naming the migration and the object.</param>
/// <param name="Fix">The safe way, as EF Core code (which migrations, in which deployments).</param>
/// <param name="File">The migration file (relative to the project folder, <c>/</c>-separated), when found.</param>
/// <param name="Line">The 1-based line of the operation in <paramref name="File"/>, when found.</param>
/// <param name="Reason">Why the severity differs from the rule's default (small table, configuration, suppression), or null.</param>
/// <param name="Suppressed">The reason given in a <c>// safe-migrate: allow SM5xx reason</c> comment, when one covers this finding; else null.</param>
internal sealed record LintFinding(
    string Code,
    LintSeverity Severity,
    string Migration,
    string Direction,
    string Operation,
    string? Table,
    string? Column,
    string? Lock,
    bool RewritesTable,
    bool ScansTable,
    long? Rows,
    long? Bytes,
    long? FailingRows,
    string Message,
    string Fix,
    string? File,
    int? Line,
    string? Reason,
    string? Suppressed)
{
    /// <summary><c>file:line</c>, <c>file</c>, or empty.</summary>
    public string Location => File is null ? string.Empty : Line is null ? File : $"{File}:{Line}";
}
