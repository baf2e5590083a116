using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM515: <c>UPDATE</c> or <c>DELETE</c> without <c>WHERE</c> in custom SQL touches every row in the
/// migration's transaction: every row stays locked until the migration commits, the table bloats,
/// and WAL grows with the table. Usually a backfill that belongs in batches.
/// </summary>
internal sealed class UnboundedDataChange : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM515";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "UPDATE or DELETE without WHERE in custom SQL";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        foreach (var statement in SqlRuleHelpers.Statements(context.Operation))
        {
            if (statement.Kind is not (SqlStatementKind.Update or SqlStatementKind.Delete) || statement.HasWhere || context.IsNew(statement.Table))
            {
                continue;
            }

            var verb = statement.Kind == SqlStatementKind.Update ? "UPDATE" : "DELETE";
            yield return new LintHit
            {
                Table = statement.Table,
                Lock = LockModes.RowExclusive,
                ScansTable = true,
                OperationText = SqlRuleHelpers.Describe(statement),
                Message = $"{verb} without WHERE changes every row of {statement.Table} in the migration's transaction: all of them stay locked against other writers until the migration commits.",
                Fix = "Backfill in batches outside the schema migration: a migration of its own (or a job) that loops 'UPDATE ... WHERE \"Id\" IN (SELECT \"Id\" ... LIMIT 10000)' with suppressTransaction: true, so each batch commits; or add a WHERE that limits it to the rows that need it.",
            };
        }
    }
}
