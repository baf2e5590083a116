namespace EfSafeMigrate.Footprint;

/// <summary>The kinds of database objects migration operations act on (<see cref="OperationFootprint"/>).</summary>
internal enum SchemaObjectKind
{
    /// <summary>A table (created, dropped, renamed or altered as a whole).</summary>
    Table,
    /// <summary>A column of a table.</summary>
    Column,
    /// <summary>An index of a table.</summary>
    Index,
    /// <summary>A primary key of a table.</summary>
    PrimaryKey,
    /// <summary>A unique constraint of a table.</summary>
    UniqueConstraint,
    /// <summary>A foreign key of a table.</summary>
    ForeignKey,
    /// <summary>A check constraint of a table.</summary>
    CheckConstraint,
    /// <summary>A sequence.</summary>
    Sequence,
    /// <summary>A schema (namespace of tables).</summary>
    Schema,
    /// <summary>Database-wide settings (PostgreSQL extensions, enums, collations).</summary>
    Database,
    /// <summary>What an operation type the footprint does not know acts on (named after the type).</summary>
    Other,
}
