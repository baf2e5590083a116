namespace EfSafeMigrate.Schema;

/// <summary>
/// What a database's catalog holds, as comparable text: one entry per object (table, column, index,
/// constraint, sequence, view, type, function, trigger, extension, schema), keyed by its kind and
/// qualified name (e.g. <c>column "public"."Users"."Email"</c>), valued by its definition in the
/// database's own words (e.g. <c>character varying(256) NOT NULL DEFAULT ''::character varying</c>,
/// PostgreSQL's <c>pg_get_indexdef</c> and <c>pg_get_constraintdef</c>). Column order is not part
/// of it (a column added later sits at the end of its table, the same column in a CREATE TABLE
/// does not; both are the same schema to EF Core).
/// </summary>
/// <param name="Objects">Definition per object key.</param>
internal sealed record SchemaCatalog(IReadOnlyDictionary<string, string> Objects)
{
    /// <summary>
    /// The differences between two catalogs, by object key (ordinal order): objects only in
    /// <paramref name="left"/>, only in <paramref name="right"/>, or defined differently.
    /// </summary>
    public static IReadOnlyList<CatalogDifference> Compare(SchemaCatalog left, SchemaCatalog right)
    {
        var differences = new List<CatalogDifference>();
        foreach (var key in left.Objects.Keys.Union(right.Objects.Keys).Order(StringComparer.Ordinal))
        {
            left.Objects.TryGetValue(key, out var l);
            right.Objects.TryGetValue(key, out var r);
            if (!string.Equals(l, r, StringComparison.Ordinal))
            {
                differences.Add(new CatalogDifference(key, l, r));
            }
        }

        return differences;
    }
}

/// <summary>One object that two catalogs hold differently.</summary>
/// <param name="Object">Its key, e.g. <c>column "public"."Users"."Email"</c>.</param>
/// <param name="Left">Its definition in the first catalog, or null when it is not there.</param>
/// <param name="Right">Its definition in the second catalog, or null when it is not there.</param>
internal sealed record CatalogDifference(string Object, string? Left, string? Right)
{
    /// <summary>
    /// One line, naming the two sides: e.g. <c>column "public"."User"."Flag": the original migrations
    /// give boolean NOT NULL, the squashed migration does not create it</c>.
    /// </summary>
    /// <param name="leftName">What made the first catalog (e.g. <c>the original migrations</c>).</param>
    /// <param name="rightName">What made the second (e.g. <c>the squashed migration</c>).</param>
    public string Describe(string leftName, string rightName)
        => Left is null ? $"{Object}: {rightName} create(s) it ({Right}), {leftName} do(es) not"
            : Right is null ? $"{Object}: {leftName} create(s) it ({Left}), {rightName} do(es) not"
            : $"{Object}: {leftName} give(s) {Left}, {rightName} give(s) {Right}";
}
