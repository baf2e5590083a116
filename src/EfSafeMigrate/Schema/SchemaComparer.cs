namespace EfSafeMigrate.Schema;

/// <summary>
/// Compares expected tables (from a migration's target model) with the live schema: tables by
/// schema and name, columns by name, store type (normalised) and nullability. Names compare
/// exactly, as PostgreSQL stores quoted identifiers.
/// </summary>
internal static class SchemaComparer
{
    /// <summary>
    /// Differences for every expected table and column, oldest table first. With
    /// <paramref name="exact"/>, live tables and columns that are not expected are reported too.
    /// </summary>
    /// <param name="expected">The expected tables.</param>
    /// <param name="live">The live tables (from <see cref="ISchemaInspector.GetTables"/>).</param>
    /// <param name="ignoredTables">Live table names never reported as extra (history tables).</param>
    /// <param name="exact">Also report extra tables and columns.</param>
    public static IReadOnlyList<SchemaDifference> Compare(
        IEnumerable<SchemaTable> expected,
        IReadOnlyList<SchemaTable> live,
        IReadOnlyCollection<string> ignoredTables,
        bool exact)
    {
        var differences = new List<SchemaDifference>();
        var liveByName = live.ToDictionary(t => (t.Schema, t.Name));
        var seen = new HashSet<(string, string)>();
        foreach (var table in expected)
        {
            seen.Add((table.Schema, table.Name));
            if (!liveByName.TryGetValue((table.Schema, table.Name), out var liveTable))
            {
                differences.Add(new SchemaDifference(SchemaDifferenceKind.MissingTable, table.DisplayName));
                continue;
            }

            foreach (var column in table.Columns)
            {
                var liveColumn = liveTable.FindColumn(column.Name);
                if (liveColumn is null)
                {
                    differences.Add(new SchemaDifference(SchemaDifferenceKind.MissingColumn, table.DisplayName, column.Name));
                }
                else if (liveColumn.StoreType != column.StoreType)
                {
                    differences.Add(new SchemaDifference(SchemaDifferenceKind.TypeMismatch, table.DisplayName, column.Name, column.StoreType, liveColumn.StoreType));
                }
                else if (liveColumn.IsNullable != column.IsNullable)
                {
                    differences.Add(new SchemaDifference(SchemaDifferenceKind.NullabilityMismatch, table.DisplayName, column.Name, Nullability(column.IsNullable), Nullability(liveColumn.IsNullable)));
                }
            }

            if (exact)
            {
                differences.AddRange(liveTable.Columns
                    .Where(c => table.FindColumn(c.Name) is null)
                    .Select(c => new SchemaDifference(SchemaDifferenceKind.ExtraColumn, table.DisplayName, c.Name)));
            }
        }

        if (exact)
        {
            differences.AddRange(live
                .Where(t => !seen.Contains((t.Schema, t.Name)) && !ignoredTables.Contains(t.Name))
                .Select(t => new SchemaDifference(SchemaDifferenceKind.ExtraTable, t.DisplayName)));
        }

        return differences;
    }

    private static string Nullability(bool isNullable) => isNullable ? "NULL" : "NOT NULL";
}
