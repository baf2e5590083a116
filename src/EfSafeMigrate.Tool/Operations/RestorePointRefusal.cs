using EfSafeMigrate.Backups;
using EfSafeMigrate.Npgsql.Backups;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// What <c>rollback --backup</c> and <c>backup restore</c> do with a <c>restore-point</c> or <c>pgbackrest</c> backup: nothing but
/// print the DBA's point-in-time recovery procedure (<see cref="PgRecoveryProcedure"/>) or <c>pgbackrest restore</c> command
/// (<see cref="PgBackRestProvider.RestoreCommand"/>) and exit 4 — the exit code of a restore that did not
/// happen and changed nothing, so that a script running the rollback never takes the database for restored.
/// </summary>
internal static class RestorePointRefusal
{
    /// <summary>Throws with the recovery procedure when <paramref name="backup"/> is a restore point or a pgBackRest backup; returns otherwise.</summary>
    /// <exception cref="CommandException">A restore point or pgBackRest backup (exit code 4).</exception>
    public static void ThrowIfRestorePoint(BackupEntry backup)
    {
        if (backup.Manifest.Format == BackupStrategies.RestorePointFormat)
        {
            PgRestorePointProvider.Check(backup);
            throw new CommandException(ExitCodes.BackupFailed, PgRecoveryProcedure.Describe(backup));
        }

        if (backup.Manifest.Format == BackupStrategies.PgBackRestFormat)
        {
            PgBackRestProvider.Check(backup);
            throw new CommandException(ExitCodes.BackupFailed, PgBackRestProvider.RestoreCommand(backup));
        }
    }
}
