namespace EfSafeMigrate.Lint.Internal;

/// <summary>What a statement of custom SQL does, as far as lint needs to know.</summary>
public enum SqlStatementKind
{
    /// <summary>Not recognised: lint says so (<c>SM519</c>).</summary>
    Unclassified,

    /// <summary>Harmless for locks: <c>CREATE TABLE/VIEW/FUNCTION/...</c>, <c>COMMENT</c>, <c>GRANT</c>, <c>SET</c>, <c>SELECT</c>, <c>ANALYZE</c>, <c>ALTER TABLE ... ADD COLUMN</c> without a default, <c>DROP CONSTRAINT</c>, <c>VALIDATE CONSTRAINT</c>.</summary>
    Harmless,

    /// <summary><c>CREATE [UNIQUE] INDEX</c>.</summary>
    CreateIndex,

    /// <summary><c>DROP INDEX</c>.</summary>
    DropIndex,

    /// <summary><c>ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY/CHECK/UNIQUE/PRIMARY KEY</c>.</summary>
    AddConstraint,

    /// <summary><c>ALTER TABLE ... ALTER COLUMN ... SET NOT NULL</c>.</summary>
    SetNotNull,

    /// <summary><c>ALTER TABLE ... ALTER COLUMN ... TYPE</c>.</summary>
    AlterColumnType,

    /// <summary><c>ALTER TABLE ... ADD COLUMN ... DEFAULT</c> with a volatile expression, or <c>GENERATED ... STORED</c>.</summary>
    AddColumnRewrite,

    /// <summary><c>UPDATE</c>.</summary>
    Update,

    /// <summary><c>DELETE</c>.</summary>
    Delete,

    /// <summary><c>INSERT</c>.</summary>
    Insert,

    /// <summary><c>LOCK TABLE</c>, <c>VACUUM FULL</c>, <c>CLUSTER</c>, <c>REINDEX</c> without <c>CONCURRENTLY</c>, <c>TRUNCATE</c>.</summary>
    LockingMaintenance,
}
