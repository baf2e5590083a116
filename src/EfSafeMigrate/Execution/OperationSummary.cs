using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Execution;

/// <summary>One-line, human summaries of migration operations, for plans.</summary>
internal static class OperationSummary
{
    /// <summary>
    /// Summarises operations in order, e.g. <c>create table Products, add column Products.Sku,
    /// sql (2 statements)</c>; <c>no operations</c> when the list is empty.
    /// </summary>
    public static string Describe(IReadOnlyList<MigrationOperation> operations)
    {
        if (operations.Count == 0)
        {
            return "no operations";
        }

        var parts = new List<string>();
        var sqlCount = 0;
        foreach (var operation in operations)
        {
            if (operation is SqlOperation)
            {
                sqlCount++;
                continue;
            }

            parts.Add(Describe(operation));
        }

        if (sqlCount > 0)
        {
            parts.Add(sqlCount == 1 ? "sql" : $"sql ({sqlCount} statements)");
        }

        return string.Join(", ", parts);
    }

    /// <summary>One operation, e.g. <c>add column Products.Sku</c>.</summary>
    public static string Describe(MigrationOperation operation) => operation switch
    {
        CreateTableOperation o => $"create table {o.Name}",
        DropTableOperation o => $"drop table {o.Name}",
        RenameTableOperation o => $"rename table {o.Name} → {o.NewName}",
        AddColumnOperation o => $"add column {o.Table}.{o.Name}",
        DropColumnOperation o => $"drop column {o.Table}.{o.Name}",
        RenameColumnOperation o => $"rename column {o.Table}.{o.Name} → {o.NewName}",
        AlterColumnOperation o => $"alter column {o.Table}.{o.Name}",
        CreateIndexOperation o => $"create {(o.IsUnique ? "unique " : string.Empty)}index {o.Name}",
        DropIndexOperation o => $"drop index {o.Name}",
        RenameIndexOperation o => $"rename index {o.Name} → {o.NewName}",
        AddForeignKeyOperation o => $"add foreign key {o.Name}",
        DropForeignKeyOperation o => $"drop foreign key {o.Name}",
        AddPrimaryKeyOperation o => $"add primary key {o.Name}",
        DropPrimaryKeyOperation o => $"drop primary key {o.Name}",
        AddUniqueConstraintOperation o => $"add unique constraint {o.Name}",
        DropUniqueConstraintOperation o => $"drop unique constraint {o.Name}",
        InsertDataOperation o => $"insert data into {o.Table}",
        UpdateDataOperation o => $"update data in {o.Table}",
        DeleteDataOperation o => $"delete data from {o.Table}",
        EnsureSchemaOperation o => $"ensure schema {o.Name}",
        _ => Humanize(operation.GetType().Name),
    };

    private static string Humanize(string typeName)
    {
        var name = typeName.EndsWith("Operation", StringComparison.Ordinal) ? typeName[..^"Operation".Length] : typeName;
        return string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }
}
