namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM521: <c>Up</c> has operations and <c>Down</c> has none, or <c>Down</c> throws (irreversible).
/// Reverting such a migration "succeeds" without undoing anything: the history row goes, the schema
/// stays, and the next <c>apply</c> fails (e.g. <c>42701 column ... already exists</c>; BTCPay
/// Server's <c>20260525115757_passkey</c> is a real case).
/// </summary>
internal sealed class EmptyOrIrreversibleDown : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM521";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "empty or irreversible Down";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckMigration(LintMigration migration)
    {
        if (migration.DownFailure is { } failure)
        {
            yield return new LintHit
            {
                SizeDependent = false,
                Message = $"Down cannot be built ({failure}): this migration cannot be reverted.",
                Fix = "Write a Down that undoes Up (the scaffolder writes one; for custom SQL, write the inverse SQL), or accept that it is irreversible and suppress with '// safe-migrate: allow SM521 <why>' on the Down method's first line.",
            };
            yield break;
        }

        if (migration.Up.Count > 0 && migration.Down.Count == 0)
        {
            yield return new LintHit
            {
                SizeDependent = false,
                Message = $"Up has {migration.Up.Count} operation(s) ({Execution.OperationSummary.Describe(migration.Up)}) and Down has none: a rollback past this migration removes its history row and leaves its changes, so the next apply fails.",
                Fix = "Write the inverse of each Up operation in Down (EF Core's scaffolder does this for model changes; for Sql(...) write the inverse SQL).",
            };
        }
    }
}
