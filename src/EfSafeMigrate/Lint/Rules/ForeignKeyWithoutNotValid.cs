using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM503: <c>ADD FOREIGN KEY</c> on an existing table takes <c>SHARE ROW EXCLUSIVE</c> on both the
/// table and the referenced table and reads every row to validate it: writes to both wait for the
/// whole scan. With <c>NOT VALID</c> only new rows are checked (a short lock); a later
/// <c>VALIDATE CONSTRAINT</c> checks the old rows under <c>SHARE UPDATE EXCLUSIVE</c>, which blocks
/// no reads or writes. EF Core and Npgsql have no <c>NOT VALID</c> option: use custom SQL.
/// A foreign key added in the <c>CreateTable</c> of a new table is not an operation of its own and
/// is never reported.
/// </summary>
internal sealed class ForeignKeyWithoutNotValid : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM503";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "foreign key added without NOT VALID";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AddForeignKeyOperation fk || context.IsNew(fk.Schema, fk.Table))
        {
            yield break;
        }

        var columns = string.Join(", ", fk.Columns.Select(c => $"\\\"{c}\\\""));
        var principal = string.Join(", ", (fk.PrincipalColumns ?? []).Select(c => $"\\\"{c}\\\""));
        yield return new LintHit
        {
            Table = new TableRef(fk.Schema, fk.Table),
            Column = string.Join(", ", fk.Columns),
            Lock = LockModes.ShareRowExclusive,
            ScansTable = true,
            Message = $"Foreign key {fk.Name} is added without NOT VALID: {fk.Table} and {fk.PrincipalTable} are locked {LockModes.ShareRowExclusive} (writes to both wait) while every row of {fk.Table} is checked.",
            Fix = $"Migration 1: migrationBuilder.Sql(\"ALTER TABLE \\\"{fk.Table}\\\" ADD CONSTRAINT \\\"{fk.Name}\\\" FOREIGN KEY ({columns}) REFERENCES \\\"{fk.PrincipalTable}\\\" ({principal}) NOT VALID;\"); " +
                  $"migration 2 (a later deployment): migrationBuilder.Sql(\"ALTER TABLE \\\"{fk.Table}\\\" VALIDATE CONSTRAINT \\\"{fk.Name}\\\";\"). Keep the model's HasForeignKey (the snapshot stays right) and remove the scaffolded AddForeignKey.",
        };
    }
}
