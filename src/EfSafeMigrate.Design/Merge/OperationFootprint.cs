using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// The database objects a migration operation acts on (<see cref="ObjectTouch"/>): tables for table
/// operations; (table, column) for column operations, with both names for a rename; indexes, keys,
/// foreign keys and check constraints by name and table, with the columns they cover; the principal
/// table and columns of a foreign key. Custom SQL (<see cref="SqlOperation"/>) touches nothing here:
/// its text is compared by <see cref="BranchOverlap"/>. An operation type not known here changes an
/// object named after its type (on its table, when it names one), so that two branches using it
/// are reported rather than merged blindly.
/// </summary>
public static class OperationFootprint
{
    /// <summary>The objects <paramref name="operation"/> changes or relies on.</summary>
    public static IReadOnlyList<ObjectTouch> Of(MigrationOperation operation)
    {
        var touches = new List<ObjectTouch>();
        switch (operation)
        {
            case SqlOperation:
            case EnsureSchemaOperation: // idempotent: both branches may need the same schema
                break;
            case CreateTableOperation o:
                Change(touches, SchemaObject.ForTable(o.Schema, o.Name));
                foreach (var foreignKey in o.ForeignKeys)
                {
                    RelyOnPrincipal(touches, foreignKey);
                }

                break;
            case DropTableOperation o:
                Change(touches, SchemaObject.ForTable(o.Schema, o.Name));
                break;
            case RenameTableOperation o:
                Change(touches, SchemaObject.ForTable(o.Schema, o.Name));
                Change(touches, SchemaObject.ForTable(o.NewSchema ?? o.Schema, o.NewName ?? o.Name));
                break;
            case AlterTableOperation o:
                Change(touches, SchemaObject.ForTable(o.Schema, o.Name));
                break;
            case RenameColumnOperation o:
                Change(touches, SchemaObject.ForColumn(o.Schema, o.Table, o.Name));
                Change(touches, SchemaObject.ForColumn(o.Schema, o.Table, o.NewName));
                RelyOn(touches, SchemaObject.ForTable(o.Schema, o.Table));
                break;
            case AddColumnOperation o:
                ChangeColumn(touches, o.Schema, o.Table, o.Name);
                break;
            case DropColumnOperation o:
                ChangeColumn(touches, o.Schema, o.Table, o.Name);
                break;
            case AlterColumnOperation o:
                ChangeColumn(touches, o.Schema, o.Table, o.Name);
                break;
            case CreateIndexOperation o:
                ChangeTablePart(touches, SchemaObjectKind.Index, o.Schema, o.Table, o.Name, o.Columns);
                break;
            case DropIndexOperation o:
                ChangeTablePart(touches, SchemaObjectKind.Index, o.Schema, o.Table, o.Name, []);
                break;
            case RenameIndexOperation o:
                ChangeTablePart(touches, SchemaObjectKind.Index, o.Schema, o.Table, o.Name, []);
                ChangeTablePart(touches, SchemaObjectKind.Index, o.Schema, o.Table, o.NewName, []);
                break;
            case AddPrimaryKeyOperation o:
                ChangeTablePart(touches, SchemaObjectKind.PrimaryKey, o.Schema, o.Table, o.Name, o.Columns);
                break;
            case DropPrimaryKeyOperation o:
                ChangeTablePart(touches, SchemaObjectKind.PrimaryKey, o.Schema, o.Table, o.Name, []);
                break;
            case AddUniqueConstraintOperation o:
                ChangeTablePart(touches, SchemaObjectKind.UniqueConstraint, o.Schema, o.Table, o.Name, o.Columns);
                break;
            case DropUniqueConstraintOperation o:
                ChangeTablePart(touches, SchemaObjectKind.UniqueConstraint, o.Schema, o.Table, o.Name, []);
                break;
            case AddForeignKeyOperation o:
                ChangeTablePart(touches, SchemaObjectKind.ForeignKey, o.Schema, o.Table, o.Name, o.Columns);
                RelyOnPrincipal(touches, o);
                break;
            case DropForeignKeyOperation o:
                ChangeTablePart(touches, SchemaObjectKind.ForeignKey, o.Schema, o.Table, o.Name, []);
                break;
            case AddCheckConstraintOperation o:
                ChangeTablePart(touches, SchemaObjectKind.CheckConstraint, o.Schema, o.Table, o.Name, []);
                break;
            case DropCheckConstraintOperation o:
                ChangeTablePart(touches, SchemaObjectKind.CheckConstraint, o.Schema, o.Table, o.Name, []);
                break;
            case InsertDataOperation o:
                RelyOnColumns(touches, o.Schema, o.Table, o.Columns);
                break;
            case UpdateDataOperation o:
                RelyOnColumns(touches, o.Schema, o.Table, [.. o.KeyColumns, .. o.Columns]);
                break;
            case DeleteDataOperation o:
                RelyOnColumns(touches, o.Schema, o.Table, o.KeyColumns);
                break;
            case CreateSequenceOperation o:
                Change(touches, Sequence(o.Schema, o.Name));
                break;
            case AlterSequenceOperation o:
                Change(touches, Sequence(o.Schema, o.Name));
                break;
            case DropSequenceOperation o:
                Change(touches, Sequence(o.Schema, o.Name));
                break;
            case RestartSequenceOperation o:
                Change(touches, Sequence(o.Schema, o.Name));
                break;
            case RenameSequenceOperation o:
                Change(touches, Sequence(o.Schema, o.Name));
                Change(touches, Sequence(o.NewSchema ?? o.Schema, o.NewName ?? o.Name));
                break;
            case DropSchemaOperation o:
                Change(touches, new SchemaObject(SchemaObjectKind.Schema, null, null, o.Name));
                break;
            case AlterDatabaseOperation:
                Change(touches, new SchemaObject(SchemaObjectKind.Database, null, null, "database"));
                break;
            case ITableMigrationOperation o:
                Change(touches, new SchemaObject(SchemaObjectKind.Other, o.Schema, o.Table, OperationName(operation)));
                RelyOn(touches, SchemaObject.ForTable(o.Schema, o.Table));
                break;
            default:
                Change(touches, new SchemaObject(SchemaObjectKind.Other, null, null, OperationName(operation)));
                break;
        }

        return touches;
    }

    private static SchemaObject Sequence(string? schema, string name) => new(SchemaObjectKind.Sequence, schema, null, name);

    private static string OperationName(MigrationOperation operation)
        => operation.GetType().Name.EndsWith("Operation", StringComparison.Ordinal) ? operation.GetType().Name[..^"Operation".Length] : operation.GetType().Name;

    private static void Change(List<ObjectTouch> touches, SchemaObject target) => touches.Add(new ObjectTouch(target, Changes: true));

    private static void RelyOn(List<ObjectTouch> touches, SchemaObject target) => touches.Add(new ObjectTouch(target, Changes: false));

    private static void ChangeColumn(List<ObjectTouch> touches, string? schema, string table, string column)
    {
        Change(touches, SchemaObject.ForColumn(schema, table, column));
        RelyOn(touches, SchemaObject.ForTable(schema, table));
    }

    private static void ChangeTablePart(List<ObjectTouch> touches, SchemaObjectKind kind, string? schema, string? table, string name, IEnumerable<string>? columns)
    {
        if (table is null)
        {
            Change(touches, new SchemaObject(kind, schema, null, name));
            return;
        }

        Change(touches, new SchemaObject(kind, schema, table, name));
        RelyOnColumns(touches, schema, table, columns ?? []);
    }

    private static void RelyOnColumns(List<ObjectTouch> touches, string? schema, string table, IEnumerable<string> columns)
    {
        RelyOn(touches, SchemaObject.ForTable(schema, table));
        foreach (var column in columns)
        {
            RelyOn(touches, SchemaObject.ForColumn(schema, table, column));
        }
    }

    private static void RelyOnPrincipal(List<ObjectTouch> touches, AddForeignKeyOperation foreignKey)
        => RelyOnColumns(touches, foreignKey.PrincipalSchema, foreignKey.PrincipalTable, foreignKey.PrincipalColumns ?? []);
}
