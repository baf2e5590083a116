using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM511: renaming a table is instant (catalog only, a brief <c>ACCESS EXCLUSIVE</c>) but breaks the
/// application version still running during the deployment. Backward incompatible.
/// </summary>
internal sealed class RenameTable : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM511";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "table renamed (breaks the running application)";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not RenameTableOperation rename || context.IsNew(rename.Schema, rename.Name))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(rename.Schema, rename.Name),
            Lock = LockModes.AccessExclusive,
            Message = $"Table {rename.Name} is renamed to {rename.NewName}: the application version still running during the deployment queries {rename.Name} and fails until it is replaced.",
            Fix = $"Keep the table name and map the entity to it with .ToTable(\"{rename.Name}\"); or expand/contract: create {rename.NewName}, write both, backfill, move reads, drop {rename.Name} in a later deployment (a view named {rename.Name} over the new table can bridge one deployment).",
        };
    }
}
