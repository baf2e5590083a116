using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM502: <c>DROP INDEX</c> takes <c>ACCESS EXCLUSIVE</c> on the index's table; it is quick, but
/// it waits behind every running query on the table and every query then waits behind it.
/// EF Core/Npgsql have no concurrent drop: the safe form is <c>DROP INDEX CONCURRENTLY</c> in
/// custom SQL with <c>suppressTransaction: true</c>.
/// </summary>
internal sealed class DropIndexWithoutConcurrently : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM502";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Warning;

    /// <inheritdoc />
    public override string Title => "index dropped without CONCURRENTLY";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not DropIndexOperation drop || drop.Table is null || context.IsNew(drop.Schema, drop.Table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(drop.Schema, drop.Table),
            Lock = LockModes.AccessExclusive,
            Message = $"Index {drop.Name} is dropped without CONCURRENTLY: {drop.Table} is locked {LockModes.AccessExclusive} (reads and writes wait, and the drop waits for every running query on it).",
            Fix = $"Replace the DropIndex call with migrationBuilder.Sql(\"DROP INDEX CONCURRENTLY IF EXISTS \\\"{drop.Name}\\\";\", suppressTransaction: true); in a migration of its own (keep Down's CreateIndex).",
        };
    }
}
