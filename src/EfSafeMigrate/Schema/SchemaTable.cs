namespace EfSafeMigrate.Schema;

/// <summary>A table and its columns, either expected (from a target model) or live (from the database).</summary>
/// <param name="Schema">Schema name (the provider's default schema when the model names none).</param>
/// <param name="Name">Table name, exact case.</param>
/// <param name="Columns">Columns in table order.</param>
internal sealed record SchemaTable(string Schema, string Name, IReadOnlyList<TableColumn> Columns)
{
    /// <summary><c>schema.name</c>, quoted the way messages show it: <c>"public"."Products"</c>.</summary>
    public string DisplayName => $"\"{Schema}\".\"{Name}\"";

    /// <summary>The column with that exact name, or null.</summary>
    public TableColumn? FindColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);
}
