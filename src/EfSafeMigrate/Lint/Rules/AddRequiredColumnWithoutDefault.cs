using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM509: a required column without a default (and not generated, identity or serial) cannot be added to a table that
/// has rows: PostgreSQL fails with <c>23502 column ... contains null values</c>. EF Core's scaffolder
/// normally writes a <c>defaultValue</c> for required columns; this catches hand-written ones.
/// </summary>
internal sealed class AddRequiredColumnWithoutDefault : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM509";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "required column added without a default";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AddColumnOperation add || add.IsNullable || add.DefaultValue is not null || add.DefaultValueSql is not null
            || add.ComputedColumnSql is not null || add["Npgsql:ValueGenerationStrategy"] is not null
            || AddColumnRewrite.RewriteReason(add) is not null // a serial type fills every row from its sequence: SM508, not a failure
            || context.IsNew(add.Schema, add.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(add.Schema, add.Table),
            Column = add.Name,
            Lock = LockModes.AccessExclusive,
            Message = $"{add.Table}.{add.Name} is added as required without a default: the statement fails (23502) as soon as {add.Table} has a row.",
            Fix = "Give it a constant default (AddColumn(..., nullable: false, defaultValue: ...), which PostgreSQL 11+ adds without a rewrite), or add it nullable, backfill, then make it required (SM505's recipe).",
        };
    }
}
