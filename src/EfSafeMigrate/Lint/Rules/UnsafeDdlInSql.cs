using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM517: the locking DDL of SM501–SM508 written as custom SQL: <c>CREATE INDEX</c> / <c>DROP INDEX</c>
/// without <c>CONCURRENTLY</c>, <c>ADD CONSTRAINT ... FOREIGN KEY/CHECK</c> without <c>NOT VALID</c>,
/// <c>UNIQUE</c>/<c>PRIMARY KEY</c> without <c>USING INDEX</c>, <c>SET NOT NULL</c>,
/// <c>ALTER COLUMN ... TYPE</c>, a column added with a volatile default; and <c>CONCURRENTLY</c>
/// inside the migration's transaction (PostgreSQL refuses it: <c>25001</c>).
/// </summary>
internal sealed class UnsafeDdlInSql : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM517";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "locking DDL in custom SQL";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        var suppressTransaction = context.Operation is SqlOperation { SuppressTransaction: true };
        foreach (var s in SqlRuleHelpers.Statements(context.Operation))
        {
            if (s.Concurrently && !suppressTransaction && s.Kind is SqlStatementKind.CreateIndex or SqlStatementKind.DropIndex)
            {
                yield return Hit(s, null, false, false, false,
                    $"{s.Short} runs CONCURRENTLY inside the migration's transaction: PostgreSQL refuses it (25001 cannot run inside a transaction block).",
                    "Pass suppressTransaction: true to migrationBuilder.Sql(...), and keep the statement in a migration of its own.");
                continue;
            }

            if (context.IsNew(s.Table))
            {
                continue;
            }

            var hit = s.Kind switch
            {
                SqlStatementKind.CreateIndex when !s.Concurrently => Hit(s, LockModes.Share, false, true, true,
                    $"CREATE INDEX without CONCURRENTLY locks {s.Table} {LockModes.Share} (writes wait) for the whole build.",
                    "Write CREATE INDEX CONCURRENTLY in migrationBuilder.Sql(..., suppressTransaction: true), in a migration of its own; or model it with .IsCreatedConcurrently()."),
                SqlStatementKind.DropIndex when !s.Concurrently => Hit(s, LockModes.AccessExclusive, false, false, true,
                    $"DROP INDEX without CONCURRENTLY takes {LockModes.AccessExclusive} on the index's table.",
                    "Write DROP INDEX CONCURRENTLY IF EXISTS in migrationBuilder.Sql(..., suppressTransaction: true), in a migration of its own."),
                SqlStatementKind.AddConstraint when s.Detail is "FOREIGN KEY" or "CHECK" && !s.NotValid => Hit(s,
                    s.Detail == "CHECK" ? LockModes.AccessExclusive : LockModes.ShareRowExclusive, false, true, true,
                    $"ADD CONSTRAINT ... {s.Detail} without NOT VALID checks every row of {s.Table} under {(s.Detail == "CHECK" ? LockModes.AccessExclusive : LockModes.ShareRowExclusive)}.",
                    "Append NOT VALID, and VALIDATE CONSTRAINT in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on)."),
                SqlStatementKind.AddConstraint when s.Detail is "UNIQUE" or "PRIMARY KEY" or "EXCLUDE" => Hit(s, LockModes.AccessExclusive, false, true, true,
                    $"ADD CONSTRAINT ... {s.Detail} builds its index on {s.Table} under {LockModes.AccessExclusive}.",
                    "Create the unique index CONCURRENTLY first (a migration of its own), then ADD CONSTRAINT ... UNIQUE USING INDEX (catalog only)."),
                SqlStatementKind.SetNotNull => Hit(s, LockModes.AccessExclusive, false, true, true,
                    $"SET NOT NULL checks every row of {s.Table} under {LockModes.AccessExclusive}.",
                    "Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check."),
                SqlStatementKind.AlterColumnType => Hit(s, LockModes.AccessExclusive, true, true, true,
                    $"ALTER COLUMN ... TYPE rewrites {s.Table} under {LockModes.AccessExclusive} unless the change is binary coercible.",
                    "Expand/contract: add a new column, backfill in batches, switch the application, drop the old column."),
                SqlStatementKind.AddColumnRewrite => Hit(s, LockModes.AccessExclusive, true, true, true,
                    $"ADD COLUMN with a volatile default, identity or stored generated value rewrites {s.Table} under {LockModes.AccessExclusive}.",
                    "Add the column nullable without the default, set the default separately, backfill in batches."),
                _ => null,
            };
            if (hit is not null)
            {
                yield return hit;
            }
        }
    }

    private static LintHit Hit(SqlStatement s, string? lockMode, bool rewrites, bool scans, bool sizeDependent, string message, string fix) => new()
    {
        Table = s.Table,
        Lock = lockMode,
        RewritesTable = rewrites,
        ScansTable = scans,
        SizeDependent = sizeDependent,
        OperationText = SqlRuleHelpers.Describe(s),
        Message = message,
        Fix = fix,
    };
}
