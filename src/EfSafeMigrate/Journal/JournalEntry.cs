namespace EfSafeMigrate.Journal;

/// <summary>One row of the journal table (<see cref="JournalColumns"/> describes each column).</summary>
/// <param name="Id">Row id; larger ids were written later.</param>
/// <param name="MigrationId">The migration id.</param>
/// <param name="Action">What happened (<see cref="JournalActions"/>; may be an action this version does not know).</param>
/// <param name="Checksum">SHA-256 hex of the migration's files when it ran; null when unknown.</param>
/// <param name="StartedUtc">When the step started (<see cref="DateTimeKind.Utc"/>).</param>
/// <param name="DurationMs">How long the step took, in milliseconds.</param>
/// <param name="BackupPath">The backup taken before the run, or null.</param>
/// <param name="ToolVersion">Version of the tool that wrote the row.</param>
/// <param name="UserName">Operating-system user that ran the step.</param>
/// <param name="HostName">Machine the step ran on.</param>
/// <param name="DatabaseBytesBefore">Size of the database in bytes before the run that wrote the row; null when not measured.</param>
/// <param name="DatabaseBytesAfter">Size of the database in bytes after that run; null when not measured.</param>
/// <param name="Reason">Why a person wrote the row (<c>repair --reason</c>); null for migration runs.</param>
internal sealed record JournalEntry(
    long Id,
    string MigrationId,
    string Action,
    string? Checksum,
    DateTime StartedUtc,
    long DurationMs,
    string? BackupPath,
    string ToolVersion,
    string UserName,
    string HostName,
    long? DatabaseBytesBefore = null,
    long? DatabaseBytesAfter = null,
    string? Reason = null);
