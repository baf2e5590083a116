using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM512: dropping a column loses its data and breaks the application version still running during
/// the deployment (EF Core selects every mapped column, so a still-mapped property fails every query
/// of its entity). PostgreSQL's drop itself is catalog-only under a brief <c>ACCESS EXCLUSIVE</c>.
/// </summary>
internal sealed class DropColumn : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM512";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "column dropped (data loss; breaks the running application)";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not DropColumnOperation drop || context.IsNew(drop.Schema, drop.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(drop.Schema, drop.Table),
            Column = drop.Name,
            Lock = LockModes.AccessExclusive,
            Message = $"{drop.Table}.{drop.Name} is dropped: its data is lost, and the application version still running during the deployment selects it (EF Core queries every mapped column) and fails.",
            Fix = $"Contract in two deployments: first remove the property from the entity but keep the column (in OnModelCreating, no mapping; scaffold nothing, or an empty migration), deploy; then 'dotnet safe-migrate add Drop{drop.Table}{drop.Name}' with the DropColumn, after a backup you can restore from.",
        };
    }
}
