using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM513: dropping a table loses its data and breaks the application version still running during
/// the deployment. Catalog-only in PostgreSQL, under <c>ACCESS EXCLUSIVE</c> (also on tables whose
/// foreign keys reference it).
/// </summary>
internal sealed class DropTable : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM513";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "table dropped (data loss; breaks the running application)";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not DropTableOperation drop || context.IsNew(drop.Schema, drop.Name))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(drop.Schema, drop.Name),
            Lock = LockModes.AccessExclusive,
            Message = $"Table {drop.Name} is dropped: its data is lost, and the application version still running during the deployment fails on it.",
            Fix = $"Contract in two deployments: first remove the entity (DbSet and mapping) and deploy with the table still there; then a migration with the DropTable, after a verified backup (dotnet safe-migrate backup create).",
        };
    }
}
