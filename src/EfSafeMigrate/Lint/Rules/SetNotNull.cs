using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM505: making an existing column required (<c>ALTER COLUMN ... SET NOT NULL</c>) holds
/// <c>ACCESS EXCLUSIVE</c> while every row is read, and fails when a row holds NULL. Since
/// PostgreSQL 12, <c>SET NOT NULL</c> skips the scan when a validated <c>CHECK (col IS NOT NULL)</c>
/// proves it: add that check <c>NOT VALID</c>, validate it later (no blocking lock), then set NOT
/// NULL and drop the check. With a database, the rows holding NULL are counted.
/// </summary>
internal sealed class SetNotNull : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM505";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "SET NOT NULL on an existing column";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AlterColumnOperation alter || alter.IsNullable || !alter.OldColumn.IsNullable || context.IsNew(alter.Schema, alter.Table))
        {
            yield break;
        }

        var check = $"CK_{alter.Table}_{alter.Name}_NotNull";
        yield return new LintHit
        {
            Table = new TableRef(alter.Schema, alter.Table),
            Column = alter.Name,
            Lock = LockModes.AccessExclusive,
            ScansTable = true,
            Narrowing = NarrowingCheck.Nulls,
            Message = $"{alter.Table}.{alter.Name} becomes required (SET NOT NULL): {alter.Table} is locked {LockModes.AccessExclusive} (reads and writes wait) while every row is checked, and the statement fails if any row holds NULL.",
            Fix = $"Backfill the NULLs first (a migration or a batched job). Migration 1: migrationBuilder.Sql(\"ALTER TABLE \\\"{alter.Table}\\\" ADD CONSTRAINT \\\"{check}\\\" CHECK (\\\"{alter.Name}\\\" IS NOT NULL) NOT VALID;\"); " +
                  $"migration 2 (later): migrationBuilder.Sql(\"ALTER TABLE \\\"{alter.Table}\\\" VALIDATE CONSTRAINT \\\"{check}\\\";\"); " +
                  $"migration 3: the scaffolded AlterColumn(nullable: false) — PostgreSQL 12+ uses the validated check and skips the scan — then migrationBuilder.Sql(\"ALTER TABLE \\\"{alter.Table}\\\" DROP CONSTRAINT \\\"{check}\\\";\").",
        };
    }
}
