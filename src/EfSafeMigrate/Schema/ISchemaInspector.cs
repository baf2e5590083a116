namespace EfSafeMigrate.Schema;

/// <summary>
/// Reads the live schema of a database (provider-specific; PostgreSQL: the system catalogs).
/// </summary>
internal interface ISchemaInspector
{
    /// <summary>
    /// The schema a table without an explicit schema (and without the model's <c>HasDefaultSchema</c>) lives in on this
    /// connection (PostgreSQL: the first existing schema of <c>search_path</c>, <c>current_schema()</c>, normally <c>public</c>).
    /// </summary>
    string DefaultSchema { get; }

    /// <summary>
    /// Ordinary and partitioned tables of the user schemas (system schemas left out), each with
    /// its columns in table order and normalised store types.
    /// </summary>
    IReadOnlyList<SchemaTable> GetTables();

    /// <summary>
    /// Normalises a store type to the spelling the database reports, so that aliases compare
    /// equal (PostgreSQL: <c>varchar(10)</c> → <c>character varying(10)</c>, <c>int4</c> → <c>integer</c>).
    /// </summary>
    string NormalizeStoreType(string storeType);
}
