using System.Globalization;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Sorts a migration's operations for a squash. Schema operations are those EF Core's model differ
/// produces from two models: the squash recomputes them over the whole range. Custom operations are
/// the ones the models do not record, which the squash must carry over: <c>Sql(...)</c>,
/// <c>InsertData</c>/<c>UpdateData</c>/<c>DeleteData</c> that the differ did not produce for that
/// migration (seed data from <c>HasData</c> is in the models, hand-written data operations are not),
/// and EF Core operations the differ never produces (<c>RestartSequence</c>). Anything else (a
/// provider's or the application's own operation types) EF Core's C# generator cannot write.
/// </summary>
public static class OperationClassifier
{
    private static readonly HashSet<Type> SchemaTypes =
    [
        typeof(AddCheckConstraintOperation), typeof(AddColumnOperation), typeof(AddForeignKeyOperation),
        typeof(AddPrimaryKeyOperation), typeof(AddUniqueConstraintOperation), typeof(AlterColumnOperation),
        typeof(AlterDatabaseOperation), typeof(AlterSequenceOperation), typeof(AlterTableOperation),
        typeof(CreateIndexOperation), typeof(CreateSequenceOperation), typeof(CreateTableOperation),
        typeof(DropCheckConstraintOperation), typeof(DropColumnOperation), typeof(DropForeignKeyOperation),
        typeof(DropIndexOperation), typeof(DropPrimaryKeyOperation), typeof(DropSchemaOperation),
        typeof(DropSequenceOperation), typeof(DropTableOperation), typeof(DropUniqueConstraintOperation),
        typeof(EnsureSchemaOperation), typeof(RenameColumnOperation), typeof(RenameIndexOperation),
        typeof(RenameSequenceOperation), typeof(RenameTableOperation),
    ];

    private static readonly HashSet<Type> CustomTypes = [typeof(SqlOperation), typeof(RestartSequenceOperation)];

    /// <summary>True for an operation type EF Core's model differ produces (data operations excluded).</summary>
    public static bool IsSchema(MigrationOperation operation) => SchemaTypes.Contains(operation.GetType());

    /// <summary>True for <c>InsertData</c>, <c>UpdateData</c> and <c>DeleteData</c>.</summary>
    public static bool IsData(MigrationOperation operation) => operation is InsertDataOperation or UpdateDataOperation or DeleteDataOperation;

    /// <summary>True for operations that are always custom: <c>Sql(...)</c> and <c>RestartSequence</c>.</summary>
    public static bool IsAlwaysCustom(MigrationOperation operation) => CustomTypes.Contains(operation.GetType());

    /// <summary>
    /// The custom operations of one method (Up or Down) of a migration, in order, with their positions.
    /// </summary>
    /// <param name="migrationId">The migration (for messages).</param>
    /// <param name="direction"><c>Up</c> or <c>Down</c> (for messages).</param>
    /// <param name="operations">The method's operations.</param>
    /// <param name="differOperations">What EF Core's differ produces for the same step (to tell seed data from hand-written data operations).</param>
    /// <exception cref="SquashRefusedException">An operation is of a type the squash cannot carry over.</exception>
    public static IReadOnlyList<(int Index, MigrationOperation Operation)> Custom(
        string migrationId, string direction, IReadOnlyList<MigrationOperation> operations, IReadOnlyList<MigrationOperation> differOperations)
    {
        var produced = differOperations.Where(IsData).Select(DataSignature).ToList();
        var custom = new List<(int, MigrationOperation)>();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (IsAlwaysCustom(operation))
            {
                custom.Add((i, operation));
            }
            else if (IsData(operation))
            {
                if (!produced.Remove(DataSignature(operation)))
                {
                    custom.Add((i, operation));
                }
            }
            else if (!IsSchema(operation))
            {
                throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                    $"Migration '{migrationId}', {OperationText.Describe(direction, i, operation)}: a {operation.GetType().FullName}, which EF Core's model differ does not produce and its C# migration generator cannot write, so the squash can neither recompute nor keep it. " +
                    "Squash a range that does not include this migration.");
            }
        }

        return custom;
    }

    /// <summary>A comparable text of a data operation: kind, table, columns and values.</summary>
    public static string DataSignature(MigrationOperation operation) => operation switch
    {
        InsertDataOperation o => $"insert|{o.Schema}|{o.Table}|{Join(o.Columns)}|{Values(o.Values)}",
        UpdateDataOperation o => $"update|{o.Schema}|{o.Table}|{Join(o.KeyColumns)}|{Values(o.KeyValues)}|{Join(o.Columns)}|{Values(o.Values)}",
        DeleteDataOperation o => $"delete|{o.Schema}|{o.Table}|{Join(o.KeyColumns)}|{Values(o.KeyValues)}",
        _ => operation.GetType().Name,
    };

    private static string Join(string[] names) => string.Join(",", names);

    private static string Values(object?[,] values)
    {
        var parts = new List<string>();
        for (var row = 0; row < values.GetLength(0); row++)
        {
            for (var column = 0; column < values.GetLength(1); column++)
            {
                parts.Add(Value(values[row, column]));
            }

            parts.Add(";");
        }

        return string.Join(",", parts);
    }

    private static string Value(object? value) => value switch
    {
        null => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
