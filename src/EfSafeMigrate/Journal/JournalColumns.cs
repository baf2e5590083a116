namespace EfSafeMigrate.Journal;

/// <summary>
/// Column names and lengths of the journal table (<see cref="JournalTable"/>), fixed so that
/// naming conventions of the application (e.g. snake_case plugins) never rename them. PascalCase,
/// like EF Core's history table (<c>MigrationId</c>, <c>ProductVersion</c>).
/// </summary>
internal static class JournalColumns
{
    /// <summary>Row id, an identity column (64-bit): the order rows were written in.</summary>
    public const string Id = "Id";

    /// <summary>The migration id, e.g. <c>20261121064216_Initial</c>; at most <see cref="MigrationIdLength"/> characters, like EF Core's history table.</summary>
    public const string MigrationId = "MigrationId";

    /// <summary>What happened (<see cref="JournalActions"/>); at most <see cref="ActionLength"/> characters.</summary>
    public const string Action = "Action";

    /// <summary>SHA-256 of the migration's files as they were when the step ran (<see cref="Integrity.MigrationHasher"/>, 64 lower-case hex digits); NULL when the sources were not available.</summary>
    public const string Checksum = "Checksum";

    /// <summary>When the step started, UTC (PostgreSQL: <c>timestamp with time zone</c>).</summary>
    public const string StartedAt = "StartedAt";

    /// <summary>How long the step took, in whole milliseconds (64-bit).</summary>
    public const string DurationMs = "DurationMs";

    /// <summary>Full path of the backup taken before the run; NULL when none was (<c>--no-backup</c>, or a database the run created).</summary>
    public const string BackupPath = "BackupPath";

    /// <summary>Version of the tool (or library user) that wrote the row; at most <see cref="ShortTextLength"/> characters.</summary>
    public const string ToolVersion = "ToolVersion";

    /// <summary>The operating-system user that ran the step (<see cref="Environment.UserName"/>); at most <see cref="ShortTextLength"/> characters.</summary>
    public const string UserName = "UserName";

    /// <summary>The machine the step ran on (<see cref="Environment.MachineName"/>); at most <see cref="ShortTextLength"/> characters.</summary>
    public const string HostName = "HostName";

    /// <summary>Size of the whole database in bytes just before the run that wrote the row started (PostgreSQL: <c>pg_database_size</c>); NULL when not measured (rows of older versions, rehearsals, repairs). Added to existing tables with ALTER TABLE.</summary>
    public const string DatabaseBytesBefore = "DatabaseBytesBefore";

    /// <summary>Size of the whole database in bytes right after the run that wrote the row ended; NULL when not measured. Added to existing tables with ALTER TABLE.</summary>
    public const string DatabaseBytesAfter = "DatabaseBytesAfter";

    /// <summary>Why a person wrote the row (<c>repair --reason</c>); NULL for rows of migration runs. Added to existing tables with ALTER TABLE.</summary>
    public const string Reason = "Reason";

    /// <summary>
    /// The columns added after the first version of the table, in order: a table created by an older version gets them with
    /// <c>ALTER TABLE ... ADD</c> (all nullable, so existing rows read as NULL) the first time a newer version writes to it.
    /// </summary>
    public static readonly IReadOnlyList<string> Added = [DatabaseBytesBefore, DatabaseBytesAfter, Reason];

    /// <summary>Maximum length of <see cref="MigrationId"/> (150, as in EF Core's history table).</summary>
    public const int MigrationIdLength = 150;

    /// <summary>Maximum length of <see cref="Action"/>.</summary>
    public const int ActionLength = 32;

    /// <summary>Length of <see cref="Checksum"/>: 64 hex digits.</summary>
    public const int ChecksumLength = 64;

    /// <summary>Maximum length of <see cref="ToolVersion"/>, <see cref="UserName"/> and <see cref="HostName"/>; longer values are cut.</summary>
    public const int ShortTextLength = 256;
}
