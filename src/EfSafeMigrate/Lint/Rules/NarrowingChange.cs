using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM514: a shorter maximum length (or lower precision) fails on existing rows that do not fit
/// (PostgreSQL raises <c>22001 value too long</c>; it never truncates silently) and rewrites the
/// table under <c>ACCESS EXCLUSIVE</c>. With a database the rows that do not fit are counted, up
/// to a bound.
/// </summary>
internal sealed class NarrowingChange : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM514";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "narrowing change (shorter length or precision)";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AlterColumnOperation alter || context.IsNew(alter.Schema, alter.Table)
            || ColumnTypeChange.Classify(alter, out var length) != TypeChangeKind.Narrowing)
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(alter.Schema, alter.Table),
            Column = alter.Name,
            Lock = LockModes.AccessExclusive,
            RewritesTable = true,
            ScansTable = true,
            Narrowing = length is null ? null : NarrowingCheck.LongerThan,
            NarrowedLength = length,
            Message = $"{alter.Table}.{alter.Name} narrows ({alter.OldColumn.ColumnType ?? "max length " + alter.OldColumn.MaxLength} → {alter.ColumnType ?? "max length " + alter.MaxLength}): existing values that do not fit make the statement fail, and {alter.Table} is rewritten under {LockModes.AccessExclusive}.",
            Fix = "Fix the data first (shorten or move the long values in a migration or job of its own), then narrow in a migration of its own; or enforce the limit with a check constraint added NOT VALID and validated later (SM504's recipe), which needs no rewrite.",
        };
    }
}
