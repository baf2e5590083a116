using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>
/// One lint rule (Atlas's analyzer shape): a stable code, a default severity, a title, and checks
/// of single operations (<see cref="CheckOperation"/>) and/or of a whole migration
/// (<see cref="CheckMigration"/>). Rules are stateless; one instance serves every run.
/// Each rule's file documents the PostgreSQL behaviour it relies on; <c>docs/lint-rules.md</c>
/// has one section per code.
/// </summary>
internal abstract class LintRule
{
    /// <summary>Stable code, <c>SM5xx</c>. Never reused for another meaning.</summary>
    public abstract string Code { get; }

    /// <summary>Severity without a database, configuration or suppression.</summary>
    public abstract LintSeverity DefaultSeverity { get; }

    /// <summary>Short title, e.g. <c>index created without CONCURRENTLY</c>.</summary>
    public abstract string Title { get; }

    /// <summary>Findings for one operation (default: none).</summary>
    public virtual IEnumerable<LintHit> CheckOperation(OperationContext context) => [];

    /// <summary>Findings for a whole migration (default: none). <see cref="LintHit.OperationIndex"/> points at an operation, or is null.</summary>
    public virtual IEnumerable<LintHit> CheckMigration(LintMigration migration) => [];
}

/// <summary>What a rule sees of one operation.</summary>
/// <param name="Migration">The migration being linted.</param>
/// <param name="Operation">The operation.</param>
/// <param name="Index">Its 0-based position in <see cref="LintMigration.Operations"/>.</param>
/// <param name="NewTables">Tables created by earlier operations of the same migration: they are empty, so no lock finding applies to them.</param>
internal sealed record OperationContext(LintMigration Migration, MigrationOperation Operation, int Index, IReadOnlySet<TableRef> NewTables)
{
    /// <summary>True when <paramref name="table"/> was created earlier in this migration.</summary>
    public bool IsNew(string? schema, string table) => NewTables.Any(t => t.Name == table && SameSchema(t.Schema, schema));

    /// <summary>True when <paramref name="table"/> was created earlier in this migration.</summary>
    public bool IsNew(TableRef? table) => table is not null && IsNew(table.Schema, table.Name);

    // EF Core leaves the schema null for the default schema; SQL may spell it "public".
    private static bool SameSchema(string? a, string? b) => (a ?? "public") == (b ?? "public");
}

/// <summary>A rule's raw finding, before the engine adds the migration, location, sizes and the final severity.</summary>
internal sealed record LintHit
{
    /// <summary>What is wrong and why.</summary>
    public required string Message { get; init; }

    /// <summary>The safe way, as EF Core code.</summary>
    public required string Fix { get; init; }

    /// <summary>The table concerned; the engine reads its size.</summary>
    public TableRef? Table { get; init; }

    /// <summary>The column concerned.</summary>
    public string? Column { get; init; }

    /// <summary>PostgreSQL lock mode on <see cref="Table"/> (<see cref="LockModes"/>).</summary>
    public string? Lock { get; init; }

    /// <summary>True when the whole table is rewritten.</summary>
    public bool RewritesTable { get; init; }

    /// <summary>True when every row is read under the lock.</summary>
    public bool ScansTable { get; init; }

    /// <summary>
    /// For narrowing changes: what existing rows to count (with a database). Any such row makes the
    /// finding an error whatever the table's size, since the statement would fail or lose data.
    /// </summary>
    public NarrowingCheck? Narrowing { get; init; }

    /// <summary>The new maximum length for <see cref="NarrowingCheck.LongerThan"/>.</summary>
    public int? NarrowedLength { get; init; }

    /// <summary>
    /// False for findings whose risk does not depend on the table's size (a dropped column breaks the
    /// running application on an empty table too); true (default) lets a small table lower the severity to info.
    /// </summary>
    public bool SizeDependent { get; init; } = true;

    /// <summary>The operation's index for migration-level findings (null: the migration as a whole); ignored for operation findings.</summary>
    public int? OperationIndex { get; init; }

    /// <summary>Overrides the operation's description (e.g. one statement of a <c>Sql(...)</c>).</summary>
    public string? OperationText { get; init; }
}
