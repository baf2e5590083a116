using EfSafeMigrate.Design.Squash;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// When a custom operation cannot move to where a squash puts it. The squashed Up runs the schema
/// operations first and the range's custom operations after them, so each custom operation of Up
/// runs against the schema at the end of the range instead of the schema of its own moment: the
/// operations that came after it have already run. The squashed Down runs the range's custom Down
/// operations first, so each one runs against the schema at the end of the range: the Down
/// operations that came before it (those of later migrations, and its own migration's earlier
/// ones) have not run yet. Each rule names what makes the difference matter.
/// </summary>
public static class CustomOperationRules
{
    /// <summary>
    /// Why a custom Up operation cannot run after <paramref name="later"/>, an operation that came after
    /// it in the range; null when it can. A later operation conflicts when it creates, drops or renames
    /// a table, column or sequence the custom operation uses, changes the type or nullability of a
    /// column it uses, or adds a required column to a table it inserts into (its rows would lack a value).
    /// </summary>
    public static string? UpConflict(OperationFootprint custom, MigrationOperation later) => later switch
    {
        CreateTableOperation o when custom.MentionsTable(o.Name) => $"it uses table {o.Name}, which that later operation creates",
        DropTableOperation o when custom.MentionsTable(o.Name) => $"it uses table {o.Name}, which that later operation drops",
        RenameTableOperation o when custom.MentionsTable(o.Name) => $"it uses table {o.Name}, which that later operation renames to {o.NewName}",
        AddColumnOperation o when custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, which that later operation adds",
        AddColumnOperation o when IsRequired(o) && custom.InsertsInto(o.Table) => $"it inserts into {o.Table}, and that later operation adds the required column {o.Table}.{o.Name}, for which its rows have no value",
        DropColumnOperation o when custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, which that later operation drops",
        RenameColumnOperation o when custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, which that later operation renames to {o.NewName}",
        AlterColumnOperation o when ChangesShape(o) && custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, whose type or nullability that later operation changes",
        CreateSequenceOperation o when custom.MentionsTable(o.Name) => $"it uses sequence {o.Name}, which that later operation creates",
        DropSequenceOperation o when custom.MentionsTable(o.Name) => $"it uses sequence {o.Name}, which that later operation drops",
        RenameSequenceOperation o when custom.MentionsTable(o.Name) => $"it uses sequence {o.Name}, which that later operation renames",
        _ => null,
    };

    /// <summary>
    /// Why a custom Down operation cannot run before <paramref name="earlier"/>, a Down operation that
    /// ran before it when the range was reverted migration by migration; null when it can. It
    /// conflicts when it creates or renames (to the name the custom operation uses) a table, column
    /// or sequence the custom operation uses, or changes the type or nullability of such a column.
    /// </summary>
    public static string? DownConflict(OperationFootprint custom, MigrationOperation earlier) => earlier switch
    {
        CreateTableOperation o when custom.MentionsTable(o.Name) => $"it uses table {o.Name}, which that earlier Down operation creates",
        RenameTableOperation o when o.NewName is not null && custom.MentionsTable(o.NewName) => $"it uses table {o.NewName}, which that earlier Down operation gives its name (from {o.Name})",
        AddColumnOperation o when custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, which that earlier Down operation adds",
        RenameColumnOperation o when custom.MentionsColumn(o.Table, o.NewName) => $"it uses column {o.Table}.{o.NewName}, which that earlier Down operation gives its name (from {o.Name})",
        AlterColumnOperation o when ChangesShape(o) && custom.MentionsColumn(o.Table, o.Name) => $"it uses column {o.Table}.{o.Name}, whose type or nullability that earlier Down operation changes",
        CreateSequenceOperation o when custom.MentionsTable(o.Name) => $"it uses sequence {o.Name}, which that earlier Down operation creates",
        RenameSequenceOperation o when o.NewName is not null && custom.MentionsTable(o.NewName) => $"it uses sequence {o.NewName}, which that earlier Down operation gives its name",
        _ => null,
    };

    private static bool IsRequired(AddColumnOperation column) => !column.IsNullable && column.ComputedColumnSql is null;

    private static bool ChangesShape(AlterColumnOperation column)
        => column.ClrType != column.OldColumn.ClrType
           || !string.Equals(column.ColumnType, column.OldColumn.ColumnType, StringComparison.OrdinalIgnoreCase)
           || (!column.IsNullable && column.OldColumn.IsNullable);
}
