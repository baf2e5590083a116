namespace EfSafeMigrate.Design.Merge;

/// <summary>The kinds of database objects migration operations act on, as merge compares them.</summary>
public enum SchemaObjectKind
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
    /// <summary>What an operation type unknown to merge acts on (named after the type).</summary>
    Other,
}
