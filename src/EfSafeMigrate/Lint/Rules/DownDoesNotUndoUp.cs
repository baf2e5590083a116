using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM522: <c>Down</c> does not undo <c>Up</c>: an object <c>Up</c> creates, renames or changes has no
/// inverse operation in <c>Down</c> (a created table dropped, an added column dropped, a rename
/// renamed back, an altered column altered back...). Custom SQL is not compared. Skipped when
/// <c>Down</c> is empty (SM521 reports that).
/// </summary>
internal sealed class DownDoesNotUndoUp : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM522";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Warning;

    /// <inheritdoc />
    public override string Title => "Down does not undo Up";

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckMigration(LintMigration migration)
    {
        if (migration.DownFailure is not null || migration.Down.Count == 0)
        {
            yield break;
        }

        var down = migration.Down;
        var missing = new List<string>();
        foreach (var op in migration.Up)
        {
            var undone = op switch
            {
                CreateTableOperation t => down.Any(d => d is DropTableOperation x && x.Name == t.Name && x.Schema == t.Schema),
                DropTableOperation t => down.Any(d => d is CreateTableOperation x && x.Name == t.Name && x.Schema == t.Schema),
                AddColumnOperation c => down.Any(d => (d is DropColumnOperation x && x.Table == c.Table && x.Name == c.Name) || DropsTable(d, c.Table)),
                DropColumnOperation c => down.Any(d => d is AddColumnOperation x && x.Table == c.Table && x.Name == c.Name),
                AlterColumnOperation c => down.Any(d => (d is AlterColumnOperation x && x.Table == c.Table && x.Name == c.Name) || DropsTable(d, c.Table)),
                RenameColumnOperation r => down.Any(d => d is RenameColumnOperation x && x.Table == r.Table && x.Name == r.NewName && x.NewName == r.Name),
                RenameTableOperation r => down.Any(d => d is RenameTableOperation x && x.Name == r.NewName && x.NewName == r.Name),
                RenameIndexOperation r => down.Any(d => d is RenameIndexOperation x && x.Name == r.NewName && x.NewName == r.Name),
                CreateIndexOperation i => down.Any(d => (d is DropIndexOperation x && x.Name == i.Name) || DropsTable(d, i.Table)),
                DropIndexOperation i => down.Any(d => d is CreateIndexOperation x && x.Name == i.Name),
                AddForeignKeyOperation f => down.Any(d => (d is DropForeignKeyOperation x && x.Name == f.Name) || DropsTable(d, f.Table)),
                AddUniqueConstraintOperation u => down.Any(d => (d is DropUniqueConstraintOperation x && x.Name == u.Name) || DropsTable(d, u.Table)),
                AddPrimaryKeyOperation p => down.Any(d => (d is DropPrimaryKeyOperation x && x.Name == p.Name) || DropsTable(d, p.Table)),
                AddCheckConstraintOperation k => down.Any(d => (d is DropCheckConstraintOperation x && x.Name == k.Name) || DropsTable(d, k.Table)),
                InsertDataOperation i => down.Any(d => (d is DeleteDataOperation x && x.Table == i.Table) || DropsTable(d, i.Table)),
                _ => true,
            };
            if (!undone)
            {
                missing.Add(Execution.OperationSummary.Describe(op));
            }
        }

        if (missing.Count > 0)
        {
            yield return new LintHit
            {
                SizeDependent = false,
                Message = $"Down does not undo {missing.Count} of Up's operation(s): {string.Join(", ", missing)}. A rollback past this migration leaves them behind and the next apply may fail.",
                Fix = "Add the inverse operations to Down (scaffold the change again with 'dotnet safe-migrate remove' + 'add' to get EF Core's generated Down).",
            };
        }
    }

    private static bool DropsTable(MigrationOperation op, string table) => op is DropTableOperation d && d.Name == table;
}
