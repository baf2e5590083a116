namespace EfSafeMigrate.Schema;

/// <summary>A column as the comparison sees it.</summary>
/// <param name="Name">Column name, exact case.</param>
/// <param name="StoreType">Store type, normalised by the provider (e.g. <c>character varying(64)</c>).</param>
/// <param name="IsNullable">True when the column accepts NULL.</param>
internal sealed record TableColumn(string Name, string StoreType, bool IsNullable);
