namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM518: a data change (<c>UPDATE</c>/<c>DELETE</c>/<c>INSERT ... SELECT</c> in custom SQL,
/// <c>UpdateData</c>/<c>DeleteData</c>) in the same migration as schema changes. EF Core runs a
/// migration in one transaction, so the locks the DDL took (often <c>ACCESS EXCLUSIVE</c>) are held
/// until the backfill has finished, and a failed backfill also rolls back the DDL.
/// </summary>
internal sealed class BackfillWithDdl : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM518";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Warning;

    /// <inheritdoc />
    public override string Title => "backfill in the same transaction as schema changes";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckMigration(LintMigration migration)
    {
        var ops = migration.Operations;
        var ddl = ops.Select((o, i) => (o, i)).Where(x => SqlRuleHelpers.IsSchemaChange(x.o)).ToList();
        if (ddl.Count == 0)
        {
            yield break;
        }

        for (var i = 0; i < ops.Count; i++)
        {
            if (!SqlRuleHelpers.IsDataChange(ops[i]))
            {
                continue;
            }

            var statement = SqlRuleHelpers.Statements(ops[i]).FirstOrDefault(s => s.Kind is SqlStatementKind.Update or SqlStatementKind.Delete or SqlStatementKind.Insert);
            yield return new LintHit
            {
                OperationIndex = i,
                Table = statement?.Table,
                Lock = LockModes.RowExclusive,
                OperationText = statement is null ? null : SqlRuleHelpers.Describe(statement),
                Message = $"A data change runs in the same transaction as {ddl.Count} schema change(s) ({Execution.OperationSummary.Describe(ddl[0].o)}{(ddl.Count > 1 ? ", ..." : string.Empty)}): their locks are held until the data change finishes.",
                Fix = "Move the backfill into a migration of its own, after the schema change has been deployed (and batch it, SM515); keep schema migrations short.",
            };
        }
    }
}
