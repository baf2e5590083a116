namespace EfSafeMigrate.Backups;

/// <summary>
/// Writes, verifies and restores backups of one database (the provider is created for one
/// connection). Implementations are provider-specific (PostgreSQL: <c>pg_dump</c>/<c>pg_restore</c>).
/// Not thread-safe; one operation at a time.
/// </summary>
internal interface IBackupProvider
{
    /// <summary>Name of the database this provider backs up.</summary>
    string Database { get; }

    /// <summary>
    /// Where the progress of long work (writing an archive, restoring one) is reported; null (the default) for none. Reports
    /// come from background threads, one at a time. With a receiver the programs run verbosely (their object lines are read,
    /// not kept in error messages).
    /// </summary>
    IProgress<BackupProgress>? Progress { get; set; }

    /// <summary>
    /// Checks that the backup programs exist and can dump this server (for PostgreSQL, the
    /// <c>pg_dump</c> major version must not be older than the server's). Changes nothing.
    /// </summary>
    /// <exception cref="BackupException">The programs are missing or too old, or the server cannot be reached.</exception>
    Task CheckAvailableAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a backup archive of the whole database into <paramref name="folder"/> (created with
    /// mode 0700 if missing; the archive and sidecar get mode 0600), named
    /// <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head migration or "empty"&gt;.dump</c> (UTC time),
    /// verifies it (the whole archive read back, and SHA-256), then writes the sidecar.
    /// A partial or unverifiable archive is deleted before the exception is thrown.
    /// </summary>
    /// <param name="folder">Folder for the archive.</param>
    /// <param name="headMigration">Last applied migration id, recorded in the name and sidecar; <c>null</c> when none.</param>
    /// <param name="cancellationToken">Cancels the dump; the partial archive is deleted.</param>
    /// <returns>The verified archive and its manifest.</returns>
    /// <exception cref="BackupException">The dump, the folder or the verification failed.</exception>
    Task<BackupEntry> CreateAsync(string folder, string? headMigration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Verifies an archive: its size and SHA-256 match the sidecar, and the restore program reads
    /// the whole archive (every data block, not only the table of contents).
    /// </summary>
    /// <exception cref="BackupException">A mismatch or an unreadable archive; the message says which.</exception>
    Task VerifyAsync(BackupEntry backup);

    /// <summary>
    /// Restores an archive after verifying it. With <paramref name="intoDatabase"/> <c>null</c> the
    /// provider's own database is replaced: the archive is restored into a new database first and
    /// swapped in only when that succeeded, so a failed restore leaves the original untouched.
    /// Otherwise a new database of that name is created (it must not exist) and restored into.
    /// </summary>
    /// <param name="backup">The archive and its sidecar.</param>
    /// <param name="intoDatabase">A new database to restore into; null to replace the provider's own.</param>
    /// <param name="cancellationToken">Into a new database: kills pg_restore and drops the new database (a rehearsal interrupted by SIGINT/SIGTERM).</param>
    /// <exception cref="BackupException">Verification, creation or restore failed; nothing was replaced.</exception>
    Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken = default);

    /// <summary>
    /// Restores an archive over the provider's own database so that, whenever the process is stopped, the database is
    /// there under its name with either its old or its restored content: under the migration lock (waiting up to
    /// <see cref="RestoreOverOptions.LockTimeout"/>), after a verified backup of the database as it is (when
    /// <see cref="RestoreOverOptions.BackupFolder"/> is set), into a new database that is then swapped in atomically.
    /// </summary>
    /// <returns>The backup taken first, and a previous copy that could not be dropped.</returns>
    /// <exception cref="BackupException">Verification, the backup first, the restore or the swap failed; the database was not changed.</exception>
    /// <exception cref="Locking.MigrationLockTimeoutException">The lock was not free in time; nothing was changed.</exception>
    Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options);
}
