using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Footprint;

/// <summary>
/// What makes two schema operations the same change, for comparing a migration's operations with
/// what EF Core's model differ (<c>IMigrationsModelDiffer</c>) produces: the kind of operation (its
/// type), the schema, the table, the object it acts on (a column, index, key, constraint or sequence
/// name; the new name of a rename), and for columns the store type and nullability (an index: whether
/// it is unique). Two <c>AlterColumn</c> on one column that give it different types are different
/// changes; the same change read from a migration's code and from the differ is equal. Names compare
/// ordinally (PostgreSQL's quoted identifiers); store types case-insensitively (<c>TEXT</c> is <c>text</c>).
/// Equality is the record's value equality.
/// </summary>
/// <param name="Kind">The operation type's name without <c>Operation</c>, e.g. <c>AlterColumn</c>.</param>
/// <param name="Schema">The schema; null for the default schema or for operations outside schemas.</param>
/// <param name="Table">The table it acts on (the table's own name for table operations); null when it names none.</param>
/// <param name="Name">The object: the column, index, key, constraint or sequence name; null for table operations.</param>
/// <param name="NewName">The new name of a rename (with its new schema, <c>schema.name</c>, when that changes); otherwise null.</param>
/// <param name="Type">The column's store type in lower case (its CLR type's name when the operation gives none), <c>unique</c> for a unique index; otherwise null.</param>
/// <param name="IsNullable">The column's nullability; null for operations that are not on a column's definition.</param>
internal sealed record OperationSignature(string Kind, string? Schema, string? Table, string? Name, string? NewName, string? Type, bool? IsNullable)
{
    /// <summary>The signature of <paramref name="operation"/>.</summary>
    public static OperationSignature Of(MigrationOperation operation) => operation switch
    {
        ColumnOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, ColumnType(o), o.IsNullable), // AddColumn, AlterColumn
        DropColumnOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        RenameColumnOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, o.NewName, null, null),
        CreateTableOperation o => new(KindOf(o), o.Schema, o.Name, null, null, null, null),
        DropTableOperation o => new(KindOf(o), o.Schema, o.Name, null, null, null, null),
        AlterTableOperation o => new(KindOf(o), o.Schema, o.Name, null, null, null, null),
        RenameTableOperation o => new(KindOf(o), o.Schema, o.Name, null, Renamed(o.Schema, o.NewSchema, o.NewName), null, null),
        CreateIndexOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, o.IsUnique ? "unique" : null, null),
        RenameIndexOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, o.NewName, null, null),
        DropIndexOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        AddPrimaryKeyOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        DropPrimaryKeyOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        AddUniqueConstraintOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        DropUniqueConstraintOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        AddForeignKeyOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        DropForeignKeyOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        AddCheckConstraintOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        DropCheckConstraintOperation o => new(KindOf(o), o.Schema, o.Table, o.Name, null, null, null),
        CreateSequenceOperation o => new(KindOf(o), o.Schema, null, o.Name, null, null, null),
        AlterSequenceOperation o => new(KindOf(o), o.Schema, null, o.Name, null, null, null),
        DropSequenceOperation o => new(KindOf(o), o.Schema, null, o.Name, null, null, null),
        RestartSequenceOperation o => new(KindOf(o), o.Schema, null, o.Name, null, null, null),
        RenameSequenceOperation o => new(KindOf(o), o.Schema, null, o.Name, Renamed(o.Schema, o.NewSchema, o.NewName), null, null),
        EnsureSchemaOperation o => new(KindOf(o), o.Name, null, null, null, null, null),
        DropSchemaOperation o => new(KindOf(o), o.Name, null, null, null, null, null),
        ITableMigrationOperation o => new(KindOf(operation), o.Schema, o.Table, null, null, null, null), // data operations, others on a table
        _ => new(KindOf(operation), null, null, null, null, null, null),
    };

    /// <summary>
    /// The operations of <paramref name="from"/> whose signatures are not in <paramref name="remove"/>, in order;
    /// as a multiset: each operation of <paramref name="remove"/> cancels one equal operation of <paramref name="from"/>.
    /// </summary>
    public static IReadOnlyList<MigrationOperation> Except(IEnumerable<MigrationOperation> from, IEnumerable<MigrationOperation> remove)
    {
        var left = from.Select(o => (Signature: Of(o), Operation: o)).ToList();
        foreach (var signature in remove.Select(Of))
        {
            var index = left.FindIndex(l => l.Signature == signature);
            if (index >= 0)
            {
                left.RemoveAt(index);
            }
        }

        return left.Select(l => l.Operation).ToList();
    }

    /// <summary>
    /// The operations of <paramref name="first"/> whose signatures are also in <paramref name="second"/>, in order;
    /// as a multiset: each operation of <paramref name="second"/> matches at most one of <paramref name="first"/>.
    /// </summary>
    public static IReadOnlyList<MigrationOperation> Intersect(IEnumerable<MigrationOperation> first, IEnumerable<MigrationOperation> second)
    {
        var left = second.Select(Of).ToList();
        var common = new List<MigrationOperation>();
        foreach (var operation in first)
        {
            if (left.Remove(Of(operation)))
            {
                common.Add(operation);
            }
        }

        return common;
    }

    private static string KindOf(MigrationOperation operation)
        => operation.GetType().Name.EndsWith("Operation", StringComparison.Ordinal) ? operation.GetType().Name[..^"Operation".Length] : operation.GetType().Name;

    private static string? ColumnType(ColumnOperation column)
        => column.ColumnType?.ToLowerInvariant() ?? column.ClrType.Name;

    private static string? Renamed(string? schema, string? newSchema, string? newName)
        => newSchema is not null && newSchema != schema ? $"{newSchema}.{newName}" : newName;
}
