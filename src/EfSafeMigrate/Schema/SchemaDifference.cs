namespace EfSafeMigrate.Schema;

/// <summary>What kind of difference <see cref="SchemaComparer"/> found.</summary>
internal enum SchemaDifferenceKind
{
    /// <summary>An expected table does not exist.</summary>
    MissingTable,
    /// <summary>A table exists that the expected schema does not have.</summary>
    ExtraTable,
    /// <summary>An expected column does not exist.</summary>
    MissingColumn,
    /// <summary>A column exists that the expected schema does not have.</summary>
    ExtraColumn,
    /// <summary>The column's store type differs.</summary>
    TypeMismatch,
    /// <summary>The column's nullability differs.</summary>
    NullabilityMismatch,
}

/// <summary>One difference between an expected table set and the live schema.</summary>
/// <param name="Kind">The kind of difference.</param>
/// <param name="Table">The table, as <c>"schema"."name"</c>.</param>
/// <param name="Column">The column name, for column differences.</param>
/// <param name="Expected">What the target model has (type, nullability), for mismatches.</param>
/// <param name="Actual">What the database has, for mismatches.</param>
internal sealed record SchemaDifference(SchemaDifferenceKind Kind, string Table, string? Column = null, string? Expected = null, string? Actual = null)
{
    /// <summary>One line for humans, e.g. <c>column "public"."Products"."Sku": type is text, the target model has character varying(64)</c>.</summary>
    public string Describe() => Kind switch
    {
        SchemaDifferenceKind.MissingTable => $"table {Table} does not exist",
        SchemaDifferenceKind.ExtraTable => $"table {Table} exists but is not in the target model",
        SchemaDifferenceKind.MissingColumn => $"column {Table}.\"{Column}\" does not exist",
        SchemaDifferenceKind.ExtraColumn => $"column {Table}.\"{Column}\" exists but is not in the target model",
        SchemaDifferenceKind.TypeMismatch => $"column {Table}.\"{Column}\": type is {Actual}, the target model has {Expected}",
        _ => $"column {Table}.\"{Column}\": {Actual}, the target model has {Expected}",
    };
}
