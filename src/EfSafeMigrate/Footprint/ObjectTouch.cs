namespace EfSafeMigrate.Footprint;

/// <summary>
/// One object a migration operation acts on: it changes it (creates, drops, renames or alters it),
/// or only relies on it (an index over a column, a foreign key to a table, data written to columns).
/// </summary>
/// <param name="Object">The object.</param>
/// <param name="Changes">True when the operation changes the object; false when it only relies on it.</param>
internal sealed record ObjectTouch(SchemaObject Object, bool Changes);
