using System.Globalization;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// The point-in-time recovery procedure that brings a server back to a <c>restore-point</c> backup, printed by
/// <c>rollback --backup</c> and <c>backup restore</c> instead of running it: recovery replaces the whole server (every
/// database on it) from a base backup and the WAL archive, which only the DBA who owns them can do.
/// </summary>
internal static class PgRecoveryProcedure
{
    /// <summary>
    /// The procedure for <paramref name="backup"/> (PostgreSQL 12 and later: recovery settings in <c>postgresql.conf</c> and a
    /// <c>recovery.signal</c> file): restore a base backup older than the point, set <c>restore_command</c> (the counterpart of
    /// <c>archive_command</c>), <c>recovery_target_name</c>, <c>recovery_target_timeline</c> and <c>recovery_target_action</c>,
    /// start, and check. Names the point's LSN (for <c>recovery_target_lsn</c>) and WAL file.
    /// </summary>
    /// <exception cref="ArgumentException">The backup is not a restore point.</exception>
    public static string Describe(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var point = backup.Manifest.RestorePoint ?? throw new ArgumentException($"'{backup.ManifestPath}' is not a restore point.", nameof(backup));
        var at = point.ServerTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var timeline = point.Timeline.ToString(CultureInfo.InvariantCulture);
        return string.Join(Environment.NewLine,
        [
            $"'{backup.Path}' is a restore point, not a dump: '{point.Name}' (LSN {point.Lsn}, timeline {timeline}, WAL file {point.WalFile}, {at} UTC), " +
            $"made before the migrations after {backup.Manifest.HeadMigration ?? "no migration"} on database \"{backup.Manifest.Database}\". " +
            "safe-migrate does not restore it: going back to it is point-in-time recovery of the whole server (every database on it, and everything written since), " +
            "from your base backup and WAL archive. Nothing was changed. The procedure for the DBA (PostgreSQL 12+):",
            "  1. Stop the server (or prepare a new one) and restore into its data directory a base backup taken before " + at + " UTC (pg_basebackup, or your backup tool).",
            "  2. In postgresql.conf (or postgresql.auto.conf) set:",
            "       restore_command = 'cp /path/to/wal-archive/%f \"%p\"'    # the counterpart of archive_command",
            $"       recovery_target_name = '{point.Name}'",
            $"       recovery_target_timeline = '{timeline}'",
            "       recovery_target_action = 'promote'",
            "  3. Create recovery.signal in the data directory and start the server; it replays the archived WAL up to the restore point, then promotes.",
            "  4. Check the database, then: dotnet safe-migrate status",
            $"  To recover only \"{backup.Manifest.Database}\": recover a scratch server this way, then pg_dump the database from it and pg_restore it here.",
            $"  Without the name, recovery_target_lsn = '{point.Lsn}' reaches the same point.",
        ]);
    }
}
