namespace EfSafeMigrate.Lint;

/// <summary>A table as a migration operation names it: schema (null for the default schema) and name.</summary>
/// <param name="Schema">The schema, or null for the connection's default (PostgreSQL: <c>public</c> via <c>search_path</c>).</param>
/// <param name="Name">The table name, exactly as EF Core quotes it (case-sensitive).</param>
internal sealed record TableRef(string? Schema, string Name)
{
    /// <summary><c>schema.name</c> or <c>name</c>.</summary>
    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";
}
