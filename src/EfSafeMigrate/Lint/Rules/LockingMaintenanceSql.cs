namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM516: <c>LOCK TABLE</c>, <c>VACUUM FULL</c>, <c>CLUSTER</c>, <c>REINDEX</c> without
/// <c>CONCURRENTLY</c> and <c>TRUNCATE</c> take <c>ACCESS EXCLUSIVE</c> (<c>LOCK TABLE</c>: the mode it
/// names, <c>ACCESS EXCLUSIVE</c> by default); the maintenance commands also rewrite the table.
/// </summary>
internal sealed class LockingMaintenanceSql : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM516";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "LOCK TABLE, VACUUM FULL, CLUSTER, REINDEX or TRUNCATE in custom SQL";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        foreach (var statement in SqlRuleHelpers.Statements(context.Operation))
        {
            if (statement.Kind != SqlStatementKind.LockingMaintenance || context.IsNew(statement.Table))
            {
                continue;
            }

            var command = statement.Detail ?? "LOCK";
            var rewrites = command.StartsWith("VACUUM", StringComparison.Ordinal) || command == "CLUSTER";
            yield return new LintHit
            {
                Table = statement.Table,
                Lock = LockModes.AccessExclusive,
                RewritesTable = rewrites,
                ScansTable = rewrites || command.StartsWith("REINDEX", StringComparison.Ordinal),
                SizeDependent = !command.StartsWith("TRUNCATE", StringComparison.Ordinal),
                OperationText = SqlRuleHelpers.Describe(statement),
                Message = command.StartsWith("TRUNCATE", StringComparison.Ordinal)
                    ? $"TRUNCATE empties {statement.Table?.ToString() ?? "the table"} (data loss) under {LockModes.AccessExclusive}."
                    : $"{command} holds {LockModes.AccessExclusive} on {statement.Table?.ToString() ?? "its table(s)"} (reads and writes wait){(rewrites ? " while the whole table is rewritten" : string.Empty)}.",
                Fix = command switch
                {
                    _ when command.StartsWith("REINDEX", StringComparison.Ordinal) => "Use REINDEX ... CONCURRENTLY (PostgreSQL 12+) in migrationBuilder.Sql(..., suppressTransaction: true), in a migration of its own.",
                    _ when rewrites => "Do not compact tables in a migration: run pg_repack (or VACUUM FULL/CLUSTER in a maintenance window) outside deployments.",
                    _ when command.StartsWith("TRUNCATE", StringComparison.Ordinal) => "Delete the rows in batches, or truncate only a table the application no longer uses, after a backup.",
                    _ => "Remove the explicit LOCK: each statement takes the lock it needs; keep migrations short instead, and let 'apply' set lock_timeout.",
                },
            };
        }
    }
}
