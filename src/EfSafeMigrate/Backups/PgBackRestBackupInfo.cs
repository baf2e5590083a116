namespace EfSafeMigrate.Backups;

/// <summary>
/// A pgBackRest backup taken before a change, as recorded in the sidecar of a <c>pgbackrest</c> backup (the backup itself
/// is in pgBackRest's repository).
/// </summary>
/// <param name="Stanza">The stanza (<c>--stanza</c>).</param>
/// <param name="ConfigPath">The pgBackRest configuration file (<c>--config</c>); null for pgBackRest's default.</param>
/// <param name="Label">The backup's label (<c>20261129-221833F_20261129-221844I</c>); what <c>pgbackrest restore --set</c> takes.</param>
/// <param name="Type">The backup type: <c>full</c>, <c>diff</c> or <c>incr</c> (an <c>incr</c> is made <c>full</c> by pgBackRest when there is no full backup yet).</param>
/// <param name="LsnStart">WAL location where the backup started.</param>
/// <param name="LsnStop">WAL location where it stopped; restoring with <c>--type=immediate</c> ends recovery there.</param>
/// <param name="DatabaseBytes">Size of the cluster it covers, in bytes (pgBackRest's <c>info.size</c>).</param>
internal sealed record PgBackRestBackupInfo(string Stanza, string? ConfigPath, string Label, string Type, string LsnStart, string LsnStop, long DatabaseBytes);
