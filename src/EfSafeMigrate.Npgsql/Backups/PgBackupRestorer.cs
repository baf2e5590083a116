using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Restores of <c>pg_dump</c> archives with <c>pg_restore</c>: into a new database, or over the provider's
/// database through a staging database and a swap (<see cref="PgDatabaseSwap"/>), so that the database is always
/// there under its name. The archive is checked first (<see cref="PgArchiveVerifier"/>). Used by
/// <see cref="PgDumpBackupProvider.RestoreAsync"/> and <see cref="PgDumpBackupProvider.ReplaceAsync"/>.
/// </summary>
internal sealed class PgBackupRestorer
{
    private readonly PgDumpBackupProvider _provider;
    private readonly PgConnectionInfo _connection;
    private readonly PgTools _tools;
    private readonly PgArchiveVerifier _verifier;

    /// <summary>Creates the restorer for <paramref name="provider"/>'s database (its backup-first goes through <paramref name="provider"/>).</summary>
    public PgBackupRestorer(PgDumpBackupProvider provider, PgTools tools)
    {
        _provider = provider;
        _connection = provider.Connection;
        _tools = tools;
        _verifier = new PgArchiveVerifier(tools);
    }

    private string Database => _connection.Database;

    /// <summary>Restores <paramref name="backup"/> into the new database <paramref name="intoDatabase"/>, or over the provider's database when null.</summary>
    /// <remarks>
    /// <para>
    /// Into a new database (<paramref name="intoDatabase"/> given): fails when it exists; otherwise
    /// <c>CREATE DATABASE "name" TEMPLATE template0</c> with the encoding and locale of the provider's
    /// database when it exists (server defaults otherwise), then
    /// <c>pg_restore --exit-on-error --no-password --dbname=dbname='name' &lt;archive&gt;</c>. A failed restore
    /// drops the new database again.
    /// </para>
    /// <para>
    /// Over the provider's database (<paramref name="intoDatabase"/> <c>null</c>): <see cref="ReplaceAsync"/> with the
    /// default <see cref="RestoreOverOptions"/> (waits up to 60 s for the migration lock, takes no backup first).
    /// </para>
    /// </remarks>
    public async Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken)
    {
        if (intoDatabase is null)
        {
            await ReplaceAsync(backup, new RestoreOverOptions()).ConfigureAwait(false);
            return;
        }

        try
        {
            PgSql.CheckIdentifier(intoDatabase);
        }
        catch (ArgumentException ex)
        {
            throw new BackupException($"Cannot restore '{backup.Path}' into \"{intoDatabase}\": {ex.Message}", ex);
        }

        var pgRestore = await PgClientPrograms.NewestRestoreAsync(_tools, _connection).ConfigureAwait(false);
        await _verifier.VerifyWithAsync(pgRestore, backup, wholeArchive: false).ConfigureAwait(false);

        await using var admin = await PgServerConnections.OpenMaintenanceAsync(_connection, intoDatabase).ConfigureAwait(false);
        var original = await PgDatabaseProperties.ReadAsync(admin, Database).ConfigureAwait(false);
        if (await PgDatabaseProperties.ReadAsync(admin, intoDatabase).ConfigureAwait(false) is not null)
        {
            throw new BackupException(
                $"Cannot restore '{backup.Path}' into database \"{intoDatabase}\": it already exists. " +
                "Choose a new name, or drop that database first.");
        }
        await CreateDatabaseAsync(admin, intoDatabase, original, withOwner: false, "nothing was restored").ConfigureAwait(false);
        await RestoreIntoOrDropAsync(admin, pgRestore, backup, intoDatabase,
            $"database \"{intoDatabase}\" was dropped again", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Restores <paramref name="backup"/> over the provider's database, so that the database is always there under its
    /// name, with either its old or its restored content, whenever the process is stopped.
    /// </summary>
    /// <remarks>
    /// <para>Steps:</para>
    /// <list type="number">
    /// <item>Verify the archive (size and SHA-256 against the sidecar, <c>pg_restore --list</c>); nothing else is needed,
    /// the archive is byte for byte the one fully read when it was written.</item>
    /// <item>Take the migration lock (<see cref="Locking.PgAdvisoryLock"/>, the session advisory lock <c>apply</c> takes) on a
    /// connection to the database, waiting up to <see cref="RestoreOverOptions.LockTimeout"/>: an apply running now finishes
    /// first, and no apply starts while the backup and the restore run.</item>
    /// <item>With <see cref="RestoreOverOptions.BackupFolder"/>: <see cref="PgDumpBackupProvider.CreateAsync"/> of the database as it is (verified),
    /// so the restore can be undone.</item>
    /// <item>Restore into a new database <c>&lt;db&gt;_restore_&lt;8 hex&gt;</c> created like the original (encoding, locale,
    /// and owner when the current user may own as it). If that fails it is dropped and the original is untouched.</item>
    /// <item>Release the lock (its session must end: a database with sessions cannot be renamed), then
    /// <see cref="PgDatabaseSwap"/>: end the sessions on both databases and rename both in one transaction
    /// (<c>&lt;db&gt;</c> → <c>&lt;db&gt;_old_&lt;8 hex&gt;</c>, <c>&lt;db&gt;_restore_...</c> → <c>&lt;db&gt;</c>), retried for up to
    /// <see cref="PgDumpBackupProvider.TakeOverTimeoutMilliseconds"/> while sessions come back. An apply that connects in the milliseconds between
    /// the release and the renames has its session ended before it can have changed anything it did not roll back.</item>
    /// <item>Drop <c>&lt;db&gt;_old_...</c>; when that fails the restore is still complete and the result names it.</item>
    /// </list>
    /// <para>
    /// A process stopped anywhere leaves <c>&lt;db&gt;</c> with the old content (before the swap's COMMIT) or the restored
    /// one (after it), plus possibly a leftover database that <see cref="PgRestoreLeftovers"/> finds and removes. When the
    /// database does not exist, the restored database is simply renamed to its name (no lock, no backup first).
    /// </para>
    /// <para>
    /// Ownership and privileges are restored as recorded (no <c>--no-owner</c>, no <c>--no-privileges</c>):
    /// a restore must give back the database as it was, and with <c>--no-owner</c> every object would belong
    /// to the restoring user, so that an application role that owned its tables (and runs the next
    /// migration) could no longer alter them. The price: the restoring user must be allowed to give objects
    /// to their recorded owners (superuser, or member of those roles), and the roles must exist on the server;
    /// otherwise <c>--exit-on-error</c> stops the restore, which then fails cleanly as described above.
    /// Database-level settings (<c>ALTER DATABASE ... SET</c>, database GRANTs and comment) are not in a
    /// <c>pg_dump</c> archive made without <c>--create</c> and are not carried over to the replacement.
    /// </para>
    /// </remarks>
    /// <exception cref="BackupException">Verification, the backup first, creation, restore or swap failed; the database was not changed.</exception>
    /// <exception cref="EfSafeMigrate.Locking.MigrationLockTimeoutException">The lock was not free in time; nothing was changed.</exception>
    public async Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options)
    {
        var pgRestore = await PgClientPrograms.NewestRestoreAsync(_tools, _connection).ConfigureAwait(false);
        await _verifier.VerifyWithAsync(pgRestore, backup, wholeArchive: false).ConfigureAwait(false);

        await using var admin = await PgServerConnections.OpenMaintenanceAsync(_connection, Database).ConfigureAwait(false);
        var original = await PgDatabaseProperties.ReadAsync(admin, Database).ConfigureAwait(false);
        var staging = PgSql.DerivedName(Database, "restore");
        var unchanged = $"database \"{Database}\" was not changed";
        if (original is null)
        {
            options.Progress?.Invoke("restore");
            await CreateDatabaseAsync(admin, staging, null, withOwner: true, unchanged).ConfigureAwait(false);
            await RestoreIntoOrDropAsync(admin, pgRestore, backup, staging, unchanged, CancellationToken.None).ConfigureAwait(false);
            await RenameOrDropAsync(admin, staging, Database).ConfigureAwait(false);
            return new RestoreOverResult(null, null, null);
        }

        BackupEntry? before = null;
        await using (var lockConnection = await PgServerConnections.OpenAsync(_connection, Database).ConfigureAwait(false))
        {
            await using (await new Locking.PgAdvisoryLock(lockConnection)
                .AcquireAsync(options.LockTimeout, options.WaitingForLock ?? (_ => { })).ConfigureAwait(false))
            {
                if (options.BackupFolder is { } folder)
                {
                    options.Progress?.Invoke("backup");
                    before = await _provider.CreateAsync(folder, options.HeadMigration).ConfigureAwait(false);
                }
                options.Progress?.Invoke("restore");
                var failed = before is null ? unchanged : $"{unchanged}; the backup taken first, '{before.Path}', stays";
                await CreateDatabaseAsync(admin, staging, original, withOwner: true, failed).ConfigureAwait(false);
                await RestoreIntoOrDropAsync(admin, pgRestore, backup, staging, failed, CancellationToken.None).ConfigureAwait(false);
            }
        }

        options.Progress?.Invoke("swap");
        var old = PgSql.DerivedName(Database, "old");
        try
        {
            await PgDatabaseSwap.SwapAsync(admin, Database, staging, old, TimeSpan.FromMilliseconds(PgDumpBackupProvider.TakeOverTimeoutMilliseconds))
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            await PgServerConnections.TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(staging)}").ConfigureAwait(false);
            throw new BackupException(
                $"The backup was restored into a new database, but {_connection.Describe()} could not be replaced: {ex.Message}. " +
                $"Database \"{Database}\" was not changed.", ex);
        }

        try
        {
            await PgSql.ExecuteAsync(admin, $"DROP DATABASE {PgSql.QuoteIdentifier(old)}").ConfigureAwait(false);
            return new RestoreOverResult(before, null, null);
        }
        catch (NpgsqlException ex)
        {
            return new RestoreOverResult(before, old, ex.Message);
        }
    }

    private async Task RenameOrDropAsync(NpgsqlConnection admin, string from, string to)
    {
        try
        {
            await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(from)} RENAME TO {PgSql.QuoteIdentifier(to)}").ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            await PgServerConnections.TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(from)}").ConfigureAwait(false);
            throw new BackupException($"Could not rename the restored database to \"{to}\": {ex.Message}", ex);
        }
    }

    private async Task CreateDatabaseAsync(
        NpgsqlConnection admin, string name, PgDatabaseProperties? like, bool withOwner, string onFailure)
    {
        var sql = like?.CreateStatement(name, withOwner)
            ?? $"CREATE DATABASE {PgSql.QuoteIdentifier(name)} TEMPLATE template0";
        try
        {
            await PgSql.ExecuteAsync(admin, sql).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw new BackupException(
                $"Could not create database \"{name}\" on {_connection.Describe()} to restore into ({onFailure}): {ex.Message}", ex);
        }
    }

    private async Task RestoreIntoOrDropAsync(
        NpgsqlConnection admin, string pgRestore, BackupEntry backup, string database, string onFailure, CancellationToken cancellationToken)
    {
        PgProcessResult result;
        try
        {
            using var progress = PgVerboseProgress.ForRestore(_provider.Progress);
            List<string> arguments = ["--exit-on-error", "--no-password", "--dbname=" + PgSql.ConninfoDatabase(database)];
            if (progress is not null)
            {
                arguments.Add("--verbose");
            }

            if (_provider.RestoreJobs is > 1 and var jobs)
            {
                // Custom-format files (seekable) and directories both allow parallel restore; --exit-on-error still stops at the first error.
                arguments.Add("--jobs=" + jobs.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            arguments.Add(backup.Path);
            result = await _tools.RunAsync(pgRestore, arguments, _connection.LibpqEnvironment(database), cancellationToken, progress is null ? null : progress.OnErrorLine).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BackupException or OperationCanceledException)
        {
            await PgServerConnections.TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(database)}").ConfigureAwait(false);
            throw;
        }
        if (!result.Succeeded)
        {
            await PgServerConnections.TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(database)}").ConfigureAwait(false);
            throw new BackupException($"pg_restore could not restore '{backup.Path}' ({onFailure}): {result.ErrorSummary}");
        }
    }
}
