namespace EfSafeMigrate.Backups;

/// <summary>
/// A named restore point on a server with WAL archiving, as recorded in the sidecar of a <c>restore-point</c> backup.
/// </summary>
/// <param name="Name">The restore point's name, as given to <c>pg_create_restore_point</c>; what <c>recovery_target_name</c> takes.</param>
/// <param name="Lsn">The WAL location of the restore point (<c>pg_create_restore_point</c>'s result, e.g. <c>0/3000090</c>); what <c>recovery_target_lsn</c> takes.</param>
/// <param name="ServerTime">The server's clock when the point was made (<c>now()</c>), UTC.</param>
/// <param name="Timeline">The server's timeline at that moment (<c>pg_control_checkpoint().timeline_id</c>); what <c>recovery_target_timeline</c> takes.</param>
/// <param name="WalFile">The WAL segment file that holds the point (<c>pg_walfile_name</c>), which the switch that followed sent to the archive.</param>
internal sealed record RestorePointInfo(string Name, string Lsn, DateTimeOffset ServerTime, int Timeline, string WalFile);
