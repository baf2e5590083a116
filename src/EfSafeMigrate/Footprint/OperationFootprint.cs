using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Footprint;

/// <summary>
/// The schema objects an EF Core migration operation acts on: the one answer merge (which objects two
/// branches share), squash (where a custom operation may move) and lint (which table an operation locks) use.
/// <list type="bullet">
/// <item>Schema and data operations: <see cref="Touches"/>, read from the operation's own properties:
/// tables for table operations; (table, column) for column operations, with both names for a rename;
/// indexes, keys, foreign keys and check constraints by name and table, with the columns they cover;
/// the principal table and columns of a foreign key; the table and columns a data operation writes or
/// matches; sequences; dropped schemas; database settings. An operation type not known here changes an
/// object named after its type (on its table, when it names one), so that it is reported rather than ignored.</item>
/// <item>Custom SQL (<see cref="SqlOperation"/>): no touches (what it does is not known), but its words
/// (<see cref="Sql"/>): it mentions every table, column or sequence whose name occurs in it.</item>
/// <item><see cref="EnsureSchemaOperation"/>: nothing (idempotent: two branches may both need the same schema).</item>
/// </list>
/// Names are compared ordinally, as PostgreSQL compares the quoted identifiers EF Core generates; SQL words case-insensitively.
/// </summary>
internal sealed class OperationFootprint
{
    private OperationFootprint(MigrationOperation operation, IReadOnlyList<ObjectTouch> touches, SqlWords? sql)
    {
        Operation = operation;
        Touches = touches;
        Sql = sql;
    }

    /// <summary>The operation.</summary>
    public MigrationOperation Operation { get; }

    /// <summary>The objects the operation changes or relies on, in the order of its properties (the object it acts on first); empty for SQL.</summary>
    public IReadOnlyList<ObjectTouch> Touches { get; }

    /// <summary>The words of the SQL of a <see cref="SqlOperation"/>; null for other operations.</summary>
    public SqlWords? Sql { get; }

    /// <summary>
    /// For SQL that creates an extension, a type, a domain or a collation: what it creates, e.g.
    /// <c>EXTENSION citext</c> (<see cref="SqlWords.CreatesDatabaseObject"/>); otherwise null.
    /// </summary>
    public string? CreatesDatabaseObject => Sql?.CreatesDatabaseObject;

    /// <summary>
    /// The table the operation acts on (the table of its first touch, e.g. the old name of a renamed table, the
    /// table of a column or an index), or null (SQL, schemas, sequences, a <c>DropIndex</c> without its table).
    /// </summary>
    public SchemaObject? Table => Touches.Count == 0 ? null : Touches[0].Object.OwningTable;

    /// <summary>The footprint of <paramref name="operation"/>.</summary>
    public static OperationFootprint Of(MigrationOperation operation)
        => operation is SqlOperation sql
            ? new OperationFootprint(operation, [], SqlWords.Read(sql.Sql))
            : new OperationFootprint(operation, TouchesOf(operation), null);

    /// <summary>True when it uses the table (or a sequence of that name): a touch of it, or, for SQL, the name as a word.</summary>
    public bool MentionsTable(string table)
        => Sql?.Contains(table) ?? Touches.Any(t => t.Object.Kind is SchemaObjectKind.Table or SchemaObjectKind.Sequence && t.Object.Name == table);

    /// <summary>True when it uses that column of that table: a touch of it, or, for SQL, both names as words.</summary>
    public bool MentionsColumn(string table, string column)
        => Sql is { } words
            ? words.Contains(table) && words.Contains(column)
            : Touches.Any(t => t.Object.Kind == SchemaObjectKind.Column && t.Object.Table == table && t.Object.Name == column);

    /// <summary>True when it inserts rows into the table: an <c>InsertData</c> into it, or SQL that mentions it and <c>INSERT</c> or <c>COPY</c>.</summary>
    public bool InsertsInto(string table)
        => (Sql?.MayInsert ?? Operation is InsertDataOperation) && MentionsTable(table);

    /// <summary>
    /// True when it may act on <paramref name="target"/>: a touch of it, or, for SQL, the name of its table
    /// or (for an object that is not a table) its own name as a word.
    /// </summary>
    public bool Mentions(SchemaObject target)
        => Sql is { } words
            ? (target.Table is not null && words.Contains(target.Table)) || (target.Kind != SchemaObjectKind.Table && words.Contains(target.Name))
            : Touches.Any(t => t.Object == target);

    private static List<ObjectTouch> TouchesOf(MigrationOperation operation)
    {
        var touches = new List<ObjectTouch>();
        switch (operation)
        {
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
