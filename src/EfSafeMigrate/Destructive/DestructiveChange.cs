namespace EfSafeMigrate.Destructive;

/// <summary>What kind of data a destructive migration operation loses (or fails on).</summary>
internal enum DestructiveKind
{
    /// <summary><c>DropTable</c>: every row of the table.</summary>
    DropTable,

    /// <summary><c>DropColumn</c>: every value of the column.</summary>
    DropColumn,

    /// <summary><c>DropSchema</c>: whatever is left in the schema (PostgreSQL refuses when it is not empty, without <c>CASCADE</c>).</summary>
    DropSchema,

    /// <summary><c>AlterColumn</c> to a shorter length or lower precision: values that do not fit make it fail.</summary>
    NarrowColumn,

    /// <summary><c>AlterColumn</c> from nullable to required: NULL values make it fail.</summary>
    RequireColumn,

    /// <summary><c>DeleteData</c>: seeded rows deleted.</summary>
    DeleteData,

    /// <summary><c>Sql(...)</c> with <c>DELETE</c>, <c>TRUNCATE</c> or <c>DROP</c>: what it deletes is not known.</summary>
    Sql,
}

/// <summary>
/// One destructive operation of a migration step, with how much data it touches in the database as it is now.
/// </summary>
/// <param name="Kind">What kind of loss.</param>
/// <param name="Object">The object, for messages: <c>table Members</c>, <c>column Customers.Phone</c>, <c>schema archive</c>, <c>SQL</c>.</param>
/// <param name="Description">The whole flag, as printed: <c>drops table Members (1,204 rows)</c>.</param>
/// <param name="Rows">
/// Rows (or non-null values, or failing values) it affects: an exact count when the table is small, the planner's estimate
/// (<paramref name="Estimated"/>) when it is big; null when not known (no database, the table does not exist yet, it was
/// locked by another session, or <c>Sql(...)</c>).
/// </param>
/// <param name="Estimated">True when <paramref name="Rows"/> is an estimate or a lower bound rather than a count.</param>
internal sealed record DestructiveChange(DestructiveKind Kind, string Object, string Description, long? Rows, bool Estimated);
