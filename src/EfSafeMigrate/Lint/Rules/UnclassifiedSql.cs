namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM519: a statement of custom SQL that the classifier (<see cref="SqlStatementClassifier"/>) does not
/// recognise. Lint cannot say which lock it takes; a human should.
/// </summary>
internal sealed class UnclassifiedSql : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM519";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Warning;

    /// <inheritdoc />
    public override string Title => "custom SQL statement that could not be classified";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        foreach (var statement in SqlRuleHelpers.Statements(context.Operation).Where(s => s.Kind == SqlStatementKind.Unclassified))
        {
            yield return new LintHit
            {
                Table = statement.Table,
                SizeDependent = false,
                OperationText = SqlRuleHelpers.Describe(statement),
                Message = $"Lint could not classify this statement, so it cannot say which locks it takes or whether it rewrites a table: {statement.Short}",
                Fix = "Review it by hand (PostgreSQL's 'Explicit Locking' table lists each command's lock); when it is safe, add '// safe-migrate: allow SM519 <why>' above the Sql(...) call.",
            };
        }
    }
}
