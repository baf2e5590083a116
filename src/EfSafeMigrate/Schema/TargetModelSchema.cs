using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Schema;

/// <summary>
/// The tables and columns a migration's target model gives (EF Core's relational model of the
/// finalized design-time model: table mappings, store types, nullability).
/// </summary>
internal static class TargetModelSchema
{
    /// <summary>
    /// All tables of a finalized target model, with store types normalised by
    /// <paramref name="inspector"/>. Views, functions and other non-table mappings are left out.
    /// </summary>
    public static IReadOnlyList<SchemaTable> FromModel(IModel model, ISchemaInspector inspector)
        => model.GetRelationalModel().Tables
            .Select(t => new SchemaTable(
                t.Schema ?? model.GetDefaultSchema() ?? inspector.DefaultSchema,
                t.Name,
                t.Columns.Select(c => new TableColumn(c.Name, inspector.NormalizeStoreType(c.StoreType), c.IsNullable)).ToList()))
            .ToList();

    /// <summary>
    /// The tables a migration creates (its <see cref="CreateTableOperation"/>s, in order), with
    /// columns from the target model when there is one, or from the operations themselves when the
    /// migration has no designer (then columns without an explicit type are left out).
    /// </summary>
    public static IReadOnlyList<SchemaTable> CreatedTables(IReadOnlyList<MigrationOperation> upOperations, IModel? targetModel, ISchemaInspector inspector)
    {
        var modelTables = targetModel is null ? [] : FromModel(targetModel, inspector);
        var result = new List<SchemaTable>();
        foreach (var create in upOperations.OfType<CreateTableOperation>())
        {
            var schema = create.Schema ?? targetModel?.GetDefaultSchema() ?? inspector.DefaultSchema;
            var fromModel = modelTables.FirstOrDefault(t => t.Schema == schema && t.Name == create.Name);
            result.Add(fromModel ?? new SchemaTable(
                schema,
                create.Name,
                create.Columns.Where(c => c.ColumnType is not null)
                    .Select(c => new TableColumn(c.Name, inspector.NormalizeStoreType(c.ColumnType!), c.IsNullable)).ToList()));
        }

        return result;
    }
}
