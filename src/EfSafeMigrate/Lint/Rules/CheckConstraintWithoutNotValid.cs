using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM504: <c>ADD CONSTRAINT ... CHECK</c> on an existing table holds <c>ACCESS EXCLUSIVE</c> while
/// every row is checked: reads and writes wait for the whole scan. <c>NOT VALID</c>, then
/// <c>VALIDATE CONSTRAINT</c> (<c>SHARE UPDATE EXCLUSIVE</c>) in a later migration, avoids it.
/// </summary>
internal sealed class CheckConstraintWithoutNotValid : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM504";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "check constraint added without NOT VALID";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AddCheckConstraintOperation check || context.IsNew(check.Schema, check.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(check.Schema, check.Table),
            Lock = LockModes.AccessExclusive,
            ScansTable = true,
            Message = $"Check constraint {check.Name} is added without NOT VALID: {check.Table} is locked {LockModes.AccessExclusive} (reads and writes wait) while every row is checked.",
            Fix = $"Migration 1: migrationBuilder.Sql(\"ALTER TABLE \\\"{check.Table}\\\" ADD CONSTRAINT \\\"{check.Name}\\\" CHECK ({check.Sql.Replace("\"", "\\\"")}) NOT VALID;\"); " +
                  $"migration 2 (a later deployment): migrationBuilder.Sql(\"ALTER TABLE \\\"{check.Table}\\\" VALIDATE CONSTRAINT \\\"{check.Name}\\\";\"). Keep the model's ToTable(t => t.HasCheckConstraint(...)) and remove the scaffolded AddCheckConstraint.",
        };
    }
}
