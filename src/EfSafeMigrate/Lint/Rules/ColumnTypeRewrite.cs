using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM507: a column type change that PostgreSQL cannot do in the catalog alone rewrites the table and
/// rebuilds its indexes under <c>ACCESS EXCLUSIVE</c> (see <see cref="ColumnTypeChange"/> for the
/// cheap changes that are not reported: raising or removing a <c>varchar</c> limit,
/// <c>varchar</c> ↔ <c>text</c>, raising a <c>numeric</c> precision). Shortening changes are
/// <c>SM514</c>'s.
/// </summary>
internal sealed class ColumnTypeRewrite : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM507";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "column type change that rewrites the table";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AlterColumnOperation alter || context.IsNew(alter.Schema, alter.Table)
            || ColumnTypeChange.Classify(alter, out _) != TypeChangeKind.Rewrite)
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
            Message = $"{alter.Table}.{alter.Name} changes type ({alter.OldColumn.ColumnType ?? alter.OldColumn.ClrType.Name} → {alter.ColumnType ?? alter.ClrType.Name}): PostgreSQL rewrites {alter.Table} and rebuilds its indexes under {LockModes.AccessExclusive} (reads and writes wait).",
            Fix = $"Expand/contract over several deployments: migration 1 adds a new nullable column ({alter.Name}New) of the new type; the application writes both; a batched backfill copies old → new; the application reads the new one; a last migration drops {alter.Name} (and renames only once nothing uses the old name).",
        };
    }
}
