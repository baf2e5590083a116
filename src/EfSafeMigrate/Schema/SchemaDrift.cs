namespace EfSafeMigrate.Schema;

/// <summary>How an object of the live database differs from the schema the code gives.</summary>
internal enum DriftChange
{
    /// <summary>The migrations create it; the database does not have it.</summary>
    Missing,

    /// <summary>The database has it; no migration creates it.</summary>
    Extra,

    /// <summary>Both have it, defined differently (type, nullability, default, index or constraint definition).</summary>
    Different,
}

/// <summary>One object that differs between the schema the code gives and the live database.</summary>
/// <param name="Object">Its catalog key, e.g. <c>column public."Customers"."Email"</c> (<see cref="SchemaCatalog"/>).</param>
/// <param name="Kind">Its kind: the key's first words (<c>table</c>, <c>column</c>, <c>index</c>, <c>constraint</c>, <c>sequence</c>, <c>view</c>, ...).</param>
/// <param name="Change">Missing, extra or different.</param>
/// <param name="Expected">Its definition as the migrations give it, or null when they do not create it.</param>
/// <param name="Actual">Its definition in the database, or null when the database does not have it.</param>
/// <param name="Migration">The migration that created (or last changed) it, when known.</param>
internal sealed record DriftEntry(string Object, string Kind, DriftChange Change, string? Expected, string? Actual, string? Migration)
{
    /// <summary>One line: e.g. <c>index public."IX_Products_Sku": missing (created by migration '..._AddUniqueSkuIndex'): CREATE UNIQUE INDEX ...</c>.</summary>
    public string Describe()
    {
        var by = Migration is null ? string.Empty : $" (created by migration '{Migration}')";
        return Change switch
        {
            DriftChange.Missing => $"{Object}: missing{by}; the migrations give: {Expected}",
            DriftChange.Extra => $"{Object}: extra, no migration creates it; the database has: {Actual}",
            _ => $"{Object}: different{(Migration is null ? string.Empty : $" (last changed by migration '{Migration}')")}; the migrations give: {Expected}; the database has: {Actual}",
        };
    }
}

/// <summary>
/// The result of comparing a live database with the schema its applied migrations give (<see cref="Detect"/>). Objects that
/// EF Core models (tables, columns, indexes, keys and constraints, sequences, enum/domain types, collations, extensions, schemas)
/// are drift; objects it does not (views, materialized views, functions, procedures, triggers, usually created with
/// <c>Sql()</c>) are listed apart as <see cref="Unmodeled"/>.
/// </summary>
/// <param name="Migrations">The applied migrations whose schema was built, oldest first.</param>
/// <param name="UnknownMigrations">Applied migrations the code does not have (their changes cannot be known).</param>
/// <param name="Drift">Differences of modeled objects, by key.</param>
/// <param name="Unmodeled">Differences of objects EF Core does not model, by key.</param>
internal sealed record SchemaDriftReport(IReadOnlyList<string> Migrations, IReadOnlyList<string> UnknownMigrations, IReadOnlyList<DriftEntry> Drift, IReadOnlyList<DriftEntry> Unmodeled)
{
    /// <summary>The object kinds EF Core does not model: never drift.</summary>
    public static readonly IReadOnlyList<string> UnmodeledKinds = ["view", "materialized view", "function", "trigger"];

    /// <summary>True when a modeled object differs.</summary>
    public bool HasDrift => Drift.Count > 0;

    /// <summary>The kind of a catalog key: its words before the qualified name (<c>materialized view</c>, <c>column</c>, ...).</summary>
    public static string KindOf(string key)
        => key.StartsWith("materialized view ", StringComparison.Ordinal) ? "materialized view" : key.Split(' ', 2)[0];

    /// <summary>Compares the live catalog with the schema the migrations give, naming the migration of each object where known.</summary>
    /// <param name="expected">The schema of the applied migrations (<see cref="MigratedSchema.Build"/>).</param>
    /// <param name="live">The live database's catalog, with the same tables ignored.</param>
    /// <param name="unknownMigrations">Applied migrations the code does not have.</param>
    public static SchemaDriftReport Detect(MigratedSchema expected, SchemaCatalog live, IReadOnlyList<string> unknownMigrations)
    {
        var drift = new List<DriftEntry>();
        var unmodeled = new List<DriftEntry>();
        foreach (var difference in SchemaCatalog.Compare(expected.Final, live))
        {
            var kind = KindOf(difference.Object);
            var change = difference.Left is null ? DriftChange.Extra : difference.Right is null ? DriftChange.Missing : DriftChange.Different;
            var entry = new DriftEntry(difference.Object, kind, change, difference.Left, difference.Right,
                change == DriftChange.Extra ? null : expected.Origin.GetValueOrDefault(difference.Object));
            (UnmodeledKinds.Contains(kind) ? unmodeled : drift).Add(entry);
        }

        return new SchemaDriftReport(expected.MigrationIds, unknownMigrations, drift, unmodeled);
    }
}
