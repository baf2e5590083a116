namespace EfSafeMigrate.Footprint;

/// <summary>
/// A database object a migration operation acts on. Names are compared ordinally, as PostgreSQL
/// compares the quoted identifiers EF Core generates.
/// </summary>
/// <param name="Kind">What it is.</param>
/// <param name="Schema">Its schema (of its table for table parts); null for the default schema.</param>
/// <param name="Table">The table it is (<see cref="SchemaObjectKind.Table"/>) or belongs to; null for objects outside tables.</param>
/// <param name="Name">Its name: the table's for a table, the column's for a column, the index's for an index.</param>
internal sealed record SchemaObject(SchemaObjectKind Kind, string? Schema, string? Table, string Name)
{
    /// <summary>A table.</summary>
    public static SchemaObject ForTable(string? schema, string table) => new(SchemaObjectKind.Table, schema, table, table);

    /// <summary>A column of a table.</summary>
    public static SchemaObject ForColumn(string? schema, string table, string column) => new(SchemaObjectKind.Column, schema, table, column);

    /// <summary>The table this object is or belongs to, or null.</summary>
    public SchemaObject? OwningTable => Table is null ? null : ForTable(Schema, Table);

    /// <summary>A short description for messages, e.g. <c>column Customers.FullName</c> or <c>index IX_Products_Sku on Products</c>.</summary>
    public string Describe()
    {
        var table = Table is null ? null : Qualified(Schema, Table);
        return Kind switch
        {
            SchemaObjectKind.Table => $"table {table}",
            SchemaObjectKind.Column => $"column {table}.{Name}",
            SchemaObjectKind.Index => $"index {Name} on {table}",
            SchemaObjectKind.PrimaryKey => $"primary key {Name} on {table}",
            SchemaObjectKind.UniqueConstraint => $"unique constraint {Name} on {table}",
            SchemaObjectKind.ForeignKey => $"foreign key {Name} on {table}",
            SchemaObjectKind.CheckConstraint => $"check constraint {Name} on {table}",
            SchemaObjectKind.Sequence => $"sequence {Qualified(Schema, Name)}",
            SchemaObjectKind.Schema => $"schema {Name}",
            SchemaObjectKind.Database => "database settings (extensions, enums, collations)",
            _ => table is null ? Name : $"{Name} on {table}",
        };
    }

    /// <inheritdoc />
    public override string ToString() => Describe();

    private static string Qualified(string? schema, string name) => string.IsNullOrEmpty(schema) ? name : schema + "." + name;
}
