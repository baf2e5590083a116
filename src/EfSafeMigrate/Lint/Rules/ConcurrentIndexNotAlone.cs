using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM520: a concurrently created index in a migration with other operations. Npgsql runs such a
/// migration without a transaction (PostgreSQL refuses <c>CREATE INDEX CONCURRENTLY</c> in one), so
/// a failure part-way leaves the operations before it applied, the migration unrecorded, and, when
/// the index build itself fails (e.g. duplicates under a unique index), an <c>INVALID</c> index that
/// makes the re-run fail (<c>42P07 already exists</c>).
/// </summary>
internal sealed class ConcurrentIndexNotAlone : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM520";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Warning;

    /// <inheritdoc />
    public override string Title => "concurrent index in a migration with other operations";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckMigration(LintMigration migration)
    {
        var ops = migration.Operations;
        if (ops.Count < 2)
        {
            yield break;
        }

        for (var i = 0; i < ops.Count; i++)
        {
            var concurrent = ops[i] switch
            {
                CreateIndexOperation created => IndexWithoutConcurrently.IsConcurrent(created),
                SqlOperation => SqlRuleHelpers.Statements(ops[i]).Any(s => s.Concurrently),
                _ => false,
            };
            if (!concurrent)
            {
                continue;
            }

            var index = ops[i] as CreateIndexOperation;
            yield return new LintHit
            {
                OperationIndex = i,
                Table = index is null ? null : new TableRef(index.Schema, index.Table),
                Lock = LockModes.ShareUpdateExclusive,
                SizeDependent = false,
                Message = $"A concurrent index build shares the migration with {ops.Count - 1} other operation(s): the migration runs without a transaction, so a failure leaves it half-applied (and the index INVALID).",
                Fix = "Move the index into a migration of its own: remove it from this migration (and the model change that produced it), 'dotnet safe-migrate add ...', then add it back and scaffold again, so the second migration holds only the CreateIndex.",
            };
        }
    }
}
