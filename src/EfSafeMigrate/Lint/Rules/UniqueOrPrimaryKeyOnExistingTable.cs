using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM506: adding a unique constraint or a primary key to an existing table builds its index under
/// <c>ACCESS EXCLUSIVE</c>: reads and writes wait for the whole build. Build a unique index
/// concurrently first, then attach it: <c>ADD CONSTRAINT ... UNIQUE USING INDEX</c> (or
/// <c>PRIMARY KEY USING INDEX</c>) only changes the catalog.
/// </summary>
internal sealed class UniqueOrPrimaryKeyOnExistingTable : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM506";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "unique constraint or primary key added to an existing table";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        var (schema, table, name, columns, kind) = context.Operation switch
        {
            AddUniqueConstraintOperation u => (u.Schema, u.Table, u.Name, u.Columns, "UNIQUE"),
            AddPrimaryKeyOperation p => (p.Schema, p.Table, p.Name, p.Columns, "PRIMARY KEY"),
            _ => (null, null, null, null, null),
        };
        if (table is null || context.IsNew(schema, table))
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(schema, table),
            Column = string.Join(", ", columns!),
            Lock = LockModes.AccessExclusive,
            ScansTable = true,
            Message = $"{(kind == "UNIQUE" ? "Unique constraint" : "Primary key")} {name} is added to {table}: its index is built under {LockModes.AccessExclusive} (reads and writes wait for the whole build).",
            Fix = $"Migration 1 (alone): a unique index built concurrently — .HasIndex(...).IsUnique().IsCreatedConcurrently(), or migrationBuilder.Sql(\"CREATE UNIQUE INDEX CONCURRENTLY \\\"{name}\\\" ON \\\"{table}\\\" (...);\", suppressTransaction: true); " +
                  $"migration 2: migrationBuilder.Sql(\"ALTER TABLE \\\"{table}\\\" ADD CONSTRAINT \\\"{name}\\\" {kind} USING INDEX \\\"{name}\\\";\") instead of the scaffolded {(kind == "UNIQUE" ? "AddUniqueConstraint" : "AddPrimaryKey")}.",
        };
    }
}
