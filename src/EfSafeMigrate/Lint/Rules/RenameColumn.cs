using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM510: renaming a column is instant in PostgreSQL (catalog only, a brief <c>ACCESS EXCLUSIVE</c>)
/// but breaks the application version that is still running during the deployment: its queries name
/// the old column. Backward incompatible; its risk does not depend on the table's size.
/// </summary>
internal sealed class RenameColumn : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM510";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "column renamed (breaks the running application)";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not RenameColumnOperation rename || context.IsNew(rename.Schema, rename.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(rename.Schema, rename.Table),
            Column = rename.Name,
            Lock = LockModes.AccessExclusive,
            Message = $"{rename.Table}.{rename.Name} is renamed to {rename.NewName}: the application version still running during the deployment queries {rename.Name} and fails until it is replaced.",
            Fix = $"Expand/contract: deployment 1 adds {rename.NewName} (AddColumn), the application writes both and reads {rename.Name}; backfill; deployment 2 reads {rename.NewName}; deployment 3 drops {rename.Name}. Or keep the column name and map the new property name to it with .HasColumnName(\"{rename.Name}\").",
        };
    }
}
