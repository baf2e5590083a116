using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Backups of one PostgreSQL database with <c>pg_dump --format=custom</c>, verified with
/// <c>pg_restore --file=/dev/null</c> (the whole archive is read back) and SHA-256, restored with <c>pg_restore</c>.
/// </summary>
/// <remarks>
/// <para>
/// The programs are found by <see cref="PgTools"/>: the first <c>pg_dump</c> in search order whose major
/// version is at least the server's (pg_dump can dump servers of its own and older majors only),
/// and <c>pg_restore</c> from the same folder (else the newest found).
/// </para>
/// <para>
/// The connection reaches the programs through environment variables
/// (<see cref="PgConnectionInfo.LibpqEnvironment"/>, password in <c>PGPASSWORD</c>); command lines carry
/// only options, file paths and <c>dbname='...'</c>. Messages name the connection with
/// <see cref="PgConnectionInfo.Describe"/> and never contain the password or the connection string.
/// </para>
/// <para>
/// The provider's own SQL (server version, CREATE/ALTER/DROP DATABASE) runs on unpooled Npgsql
/// connections to the maintenance database <c>postgres</c> (<c>template1</c> when the target is
/// <c>postgres</c> itself or <c>postgres</c> does not exist).
/// </para>
/// </remarks>
public sealed class PgDumpBackupProvider : IBackupProvider
{
    /// <summary>Value of <see cref="BackupManifest.Format"/> for archives written here.</summary>
    public const string ArchiveFormat = "custom";

    /// <summary>How long a replace waits for sessions on the original database to go away, in milliseconds.</summary>
    public const int TakeOverTimeoutMilliseconds = 10_000;

    private const string InvalidCatalogName = "3D000";

    private readonly PgConnectionInfo _connection;
    private readonly string _toolVersion;
    private readonly PgTools _tools;
    private readonly TimeProvider _time;

    /// <summary>
    /// Creates the provider for the database of <paramref name="connectionString"/>; programs are found
    /// with <see cref="PgTools()"/> (honours <c>SAFE_MIGRATE_PG_BIN</c>, read now).
    /// </summary>
    /// <param name="connectionString">Npgsql connection string of the database to back up.</param>
    /// <param name="toolVersion">Version of safe-migrate, recorded in each sidecar.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or has no host.</exception>
    public PgDumpBackupProvider(string connectionString, string toolVersion)
        : this(connectionString, toolVersion, new PgTools(), null)
    {
    }

    /// <summary>Creates the provider with explicit program lookup and clock.</summary>
    /// <param name="connectionString">Npgsql connection string of the database to back up.</param>
    /// <param name="toolVersion">Version of safe-migrate, recorded in each sidecar.</param>
    /// <param name="tools">Where <c>pg_dump</c> and <c>pg_restore</c> are found.</param>
    /// <param name="timeProvider">Clock for the backup time stamp; the system clock when <c>null</c>.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or has no host.</exception>
    public PgDumpBackupProvider(string connectionString, string toolVersion, PgTools tools, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolVersion);
        ArgumentNullException.ThrowIfNull(tools);
        _connection = new PgConnectionInfo(connectionString);
        _toolVersion = toolVersion;
        _tools = tools;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Database => _connection.Database;

    /// <summary>The connection this provider backs up (safe to print).</summary>
    public PgConnectionInfo Connection => _connection;

    /// <summary>
    /// How long <c>pg_dump</c> waits for each table's ACCESS SHARE lock (<c>pg_dump --lock-wait-timeout</c>, in milliseconds,
    /// at least 1); <c>null</c> (the default) waits without limit. When it runs out, <see cref="CreateAsync"/> fails naming
    /// the table and the sessions holding locks on it.
    /// </summary>
    public TimeSpan? LockWaitTimeout { get; init; }

    /// <summary>
    /// Finds <c>pg_dump</c> and <c>pg_restore</c>, connects to the server, and checks that
    /// <c>pg_dump</c>'s major version is not older than the server's (<c>server_version_num</c>) and that
    /// <c>pg_restore</c> is not older than <c>pg_dump</c> (it could not read the archives). Changes nothing.
    /// </summary>
    /// <exception cref="BackupException">A program is missing or too old (the message says which version to
    /// install and about <c>SAFE_MIGRATE_PG_BIN</c>), or the server cannot be reached.</exception>
    public async Task CheckAvailableAsync(CancellationToken cancellationToken = default) =>
        await ResolveProgramsAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// Steps: <see cref="CheckAvailableAsync"/>; create the folder (0700) when missing; create
    /// <c>&lt;archive&gt;.partial</c> empty with mode 0600 (pg_dump opens the existing file for writing, which keeps its
    /// mode, so the dump is never readable by others); <c>pg_dump --format=custom --file=&lt;partial&gt; --no-password</c>
    /// (pg_dump syncs the file to disk before exiting; with <see cref="LockWaitTimeout"/>, <c>--lock-wait-timeout</c>);
    /// verify by reading the whole archive back (<c>pg_restore --file=/dev/null</c>), then size and SHA-256;
    /// write the sidecar (0600, through a partial file, see <see cref="BackupManifestSerializer.Write"/>); rename the partial
    /// archive to its final name. The partial archive is held open (a shared lock) from its creation to its rename, so
    /// <see cref="BackupCatalog.PrunePartials"/> never deletes it while this backup runs. When the name is taken (two backups in
    /// the same second) <c>.2</c>, <c>.3</c>, ... is added before <c>.dump</c>. On failure or cancellation the partial
    /// archive, the sidecar and a folder created by this call (when left empty) are deleted.
    /// </remarks>
    public async Task<BackupEntry> CreateAsync(string folder, string? headMigration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var programs = await ResolveProgramsAsync(cancellationToken).ConfigureAwait(false);
        var createdUtc = _time.GetUtcNow().ToUniversalTime();

        var fullFolder = Path.GetFullPath(folder);
        bool createdFolder;
        try
        {
            createdFolder = PrivateFiles.EnsureFolder(fullFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException(
                $"Cannot back up {_connection.Describe()}: the backup folder '{fullFolder}' is not writable, it cannot be created ({ex.Message}). " +
                "Choose a writable folder, or create it first.", ex);
        }

        string? partial = null;
        string? manifestPath = null;
        var manifestWritten = false;
        FileStream? reservation = null;
        try
        {
            string name, archivePath;
            try
            {
                (name, archivePath, reservation) = ReserveArchiveName(fullFolder, createdUtc, headMigration);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BackupException(
                    $"Cannot back up {_connection.Describe()}: the backup folder '{fullFolder}' is not writable ({ex.Message}).", ex);
            }
            partial = BackupFileNames.PartialPathFor(archivePath);
            manifestPath = BackupFileNames.ManifestPathFor(archivePath);

            List<string> dumpArguments = ["--format=custom", "--file=" + partial, "--no-password"];
            if (LockWaitTimeout is { } lockWait)
            {
                dumpArguments.Add("--lock-wait-timeout=" + Math.Max(1, (long)lockWait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var dump = await _tools.RunAsync(programs.PgDump, dumpArguments, _connection.LibpqEnvironment(), cancellationToken).ConfigureAwait(false);
            if (!dump.Succeeded)
            {
                if (PgLockHolders.LockedTable(dump.StandardError) is { } table && LockWaitTimeout is { } waited)
                {
                    var holders = await PgLockHolders.DescribeAsync(_connection, table, cancellationToken).ConfigureAwait(false);
                    throw new BackupException(
                        $"pg_dump could not back up {_connection.Describe()}: table {table} stayed locked for longer than {waited.TotalSeconds:0.###} s (--lock-timeout) " +
                        $"by {holders}. pg_dump needs an ACCESS SHARE lock on every table; wait for that session to finish, end it, or raise --lock-timeout.");
                }
                throw new BackupException(
                    $"pg_dump could not back up {_connection.Describe()} into '{fullFolder}': {dump.ErrorSummary}");
            }
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(partial, PrivateFiles.FileMode0600);
            }

            try
            {
                await ReadWholeArchiveAsync(programs.PgRestore, partial, cancellationToken).ConfigureAwait(false);
            }
            catch (BackupException ex)
            {
                throw new BackupException(
                    $"The backup of {_connection.Describe()} written into '{fullFolder}' failed verification and was deleted: {ex.Message}", ex);
            }
            var size = new FileInfo(partial).Length;
            if (size == 0)
            {
                throw new BackupException($"pg_dump wrote an empty archive for {_connection.Describe()} into '{fullFolder}'.");
            }
            var sha256 = await BackupHasher.ComputeSha256Async(partial, cancellationToken).ConfigureAwait(false);

            var manifest = new BackupManifest(
                File: name,
                Database: Database,
                ServerVersion: programs.ServerVersion,
                HeadMigration: string.IsNullOrEmpty(headMigration) ? null : headMigration,
                SizeBytes: size,
                Sha256: sha256,
                ToolVersion: _toolVersion,
                CreatedUtc: createdUtc,
                Format: ArchiveFormat);
            BackupManifestSerializer.Write(manifestPath, manifest);
            manifestWritten = true;
            File.Move(partial, archivePath, overwrite: false);
            partial = null;
            return new BackupEntry(archivePath, manifest);
        }
        catch (Exception ex) when (ex is BackupException or OperationCanceledException)
        {
            Cleanup();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Cleanup();
            throw new BackupException($"Writing the backup of {_connection.Describe()} into '{fullFolder}' failed: {ex.Message}", ex);
        }
        finally
        {
            reservation?.Dispose();
        }

        void Cleanup()
        {
            PrivateFiles.TryDelete(partial);
            if (manifestWritten)
            {
                PrivateFiles.TryDelete(manifestPath);
            }
            if (createdFolder)
            {
                try
                {
                    if (!Directory.EnumerateFileSystemEntries(fullFolder).Any())
                    {
                        Directory.Delete(fullFolder);
                    }
                }
                catch (Exception cleanupError) when (cleanupError is IOException or UnauthorizedAccessException)
                {
                    // Leave the empty folder.
                }
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Checks, in this order: the archive exists; its size in bytes and its SHA-256 match the sidecar;
    /// the format is <c>custom</c>; <c>pg_restore --file=/dev/null</c> reads the whole archive, every data block
    /// included (exit code 0). An archive cut short passes <c>pg_restore --list</c> but fails here.
    /// Needs no server connection. Uses the newest <c>pg_restore</c> found, which reads archives of its
    /// own and older versions.
    /// </remarks>
    public async Task VerifyAsync(BackupEntry backup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var pgRestore = await FindNewestRestoreAsync(cancellationToken).ConfigureAwait(false);
        await VerifyWithAsync(pgRestore, backup, wholeArchive: true, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <para>
    /// Into a new database (<paramref name="intoDatabase"/> given): fails when it exists; otherwise
    /// <c>CREATE DATABASE "name" TEMPLATE template0</c> with the encoding and locale of this provider's
    /// database when it exists (server defaults otherwise), then
    /// <c>pg_restore --exit-on-error --no-password --dbname=dbname='name' &lt;archive&gt;</c>. A failed restore
    /// drops the new database again.
    /// </para>
    /// <para>
    /// Over this provider's database (<paramref name="intoDatabase"/> <c>null</c>): <see cref="ReplaceAsync"/> with the
    /// default <see cref="RestoreOverOptions"/> (waits up to 60 s for the migration lock, takes no backup first).
    /// </para>
    /// </remarks>
    public async Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (intoDatabase is null)
        {
            await ReplaceAsync(backup, new RestoreOverOptions(), cancellationToken).ConfigureAwait(false);
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

        var pgRestore = await FindNewestRestoreAsync(cancellationToken).ConfigureAwait(false);
        await VerifyWithAsync(pgRestore, backup, wholeArchive: false, cancellationToken).ConfigureAwait(false);

        await using var admin = await OpenAdminConnectionAsync(intoDatabase, cancellationToken).ConfigureAwait(false);
        var original = await PgDatabaseProperties.ReadAsync(admin, Database, cancellationToken).ConfigureAwait(false);
        if (await PgDatabaseProperties.ReadAsync(admin, intoDatabase, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new BackupException(
                $"Cannot restore '{backup.Path}' into database \"{intoDatabase}\": it already exists. " +
                "Choose a new name, or drop that database first.");
        }
        await CreateDatabaseAsync(admin, intoDatabase, original, withOwner: false, "nothing was restored", cancellationToken).ConfigureAwait(false);
        await RestoreIntoOrDropAsync(admin, pgRestore, backup, intoDatabase,
            $"database \"{intoDatabase}\" was dropped again", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Restores <paramref name="backup"/> over this provider's database, so that the database is always there under its
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
    /// <item>With <see cref="RestoreOverOptions.BackupFolder"/>: <see cref="CreateAsync"/> of the database as it is (verified),
    /// so the restore can be undone.</item>
    /// <item>Restore into a new database <c>&lt;db&gt;_restore_&lt;8 hex&gt;</c> created like the original (encoding, locale,
    /// and owner when the current user may own as it). If that fails it is dropped and the original is untouched.</item>
    /// <item>Release the lock (its session must end: a database with sessions cannot be renamed), then
    /// <see cref="PgDatabaseSwap"/>: end the sessions on both databases and rename both in one transaction
    /// (<c>&lt;db&gt;</c> → <c>&lt;db&gt;_old_&lt;8 hex&gt;</c>, <c>&lt;db&gt;_restore_...</c> → <c>&lt;db&gt;</c>), retried for up to
    /// <see cref="TakeOverTimeoutMilliseconds"/> while sessions come back. An apply that connects in the milliseconds between
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
    public async Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(options);
        var pgRestore = await FindNewestRestoreAsync(cancellationToken).ConfigureAwait(false);
        await VerifyWithAsync(pgRestore, backup, wholeArchive: false, cancellationToken).ConfigureAwait(false);

        await using var admin = await OpenAdminConnectionAsync(Database, cancellationToken).ConfigureAwait(false);
        var original = await PgDatabaseProperties.ReadAsync(admin, Database, cancellationToken).ConfigureAwait(false);
        var staging = PgSql.DerivedName(Database, "restore");
        var unchanged = $"database \"{Database}\" was not changed";
        if (original is null)
        {
            options.Progress?.Invoke("restore");
            await CreateDatabaseAsync(admin, staging, null, withOwner: true, unchanged, cancellationToken).ConfigureAwait(false);
            await RestoreIntoOrDropAsync(admin, pgRestore, backup, staging, unchanged, cancellationToken).ConfigureAwait(false);
            await RenameOrDropAsync(admin, staging, Database, cancellationToken).ConfigureAwait(false);
            return new RestoreOverResult(null, null, null);
        }

        BackupEntry? before = null;
        await using (var lockConnection = await OpenAsync(_connection.ConnectionStringFor(Database, pooling: false), Database, cancellationToken).ConfigureAwait(false))
        {
            await using (await new Locking.PgAdvisoryLock(lockConnection)
                .AcquireAsync(options.LockTimeout, options.WaitingForLock ?? (_ => { }), cancellationToken).ConfigureAwait(false))
            {
                if (options.BackupFolder is { } folder)
                {
                    options.Progress?.Invoke("backup");
                    before = await CreateAsync(folder, options.HeadMigration, cancellationToken).ConfigureAwait(false);
                }
                options.Progress?.Invoke("restore");
                var failed = before is null ? unchanged : $"{unchanged}; the backup taken first, '{before.Path}', stays";
                await CreateDatabaseAsync(admin, staging, original, withOwner: true, failed, cancellationToken).ConfigureAwait(false);
                await RestoreIntoOrDropAsync(admin, pgRestore, backup, staging, failed, cancellationToken).ConfigureAwait(false);
            }
        }

        options.Progress?.Invoke("swap");
        var old = PgSql.DerivedName(Database, "old");
        try
        {
            await PgDatabaseSwap.SwapAsync(admin, Database, staging, old, TimeSpan.FromMilliseconds(TakeOverTimeoutMilliseconds), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            await TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(staging)}").ConfigureAwait(false);
            if (ex is OperationCanceledException)
            {
                throw;
            }
            throw new BackupException(
                $"The backup was restored into a new database, but {_connection.Describe()} could not be replaced: {ex.Message}. " +
                $"Database \"{Database}\" was not changed.", ex);
        }

        try
        {
            await PgSql.ExecuteAsync(admin, $"DROP DATABASE {PgSql.QuoteIdentifier(old)}", CancellationToken.None).ConfigureAwait(false);
            return new RestoreOverResult(before, null, null);
        }
        catch (NpgsqlException ex)
        {
            return new RestoreOverResult(before, old, ex.Message);
        }
    }

    private async Task RenameOrDropAsync(NpgsqlConnection admin, string from, string to, CancellationToken cancellationToken)
    {
        try
        {
            await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(from)} RENAME TO {PgSql.QuoteIdentifier(to)}", cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            await TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(from)}").ConfigureAwait(false);
            throw new BackupException($"Could not rename the restored database to \"{to}\": {ex.Message}", ex);
        }
    }

    private async Task CreateDatabaseAsync(
        NpgsqlConnection admin, string name, PgDatabaseProperties? like, bool withOwner, string onFailure, CancellationToken cancellationToken)
    {
        var sql = like?.CreateStatement(name, withOwner)
            ?? $"CREATE DATABASE {PgSql.QuoteIdentifier(name)} TEMPLATE template0";
        try
        {
            await PgSql.ExecuteAsync(admin, sql, cancellationToken).ConfigureAwait(false);
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
            result = await _tools.RunAsync(
                pgRestore,
                ["--exit-on-error", "--no-password", "--dbname=" + PgSql.ConninfoDatabase(database), backup.Path],
                _connection.LibpqEnvironment(database),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BackupException or OperationCanceledException)
        {
            await TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(database)}").ConfigureAwait(false);
            throw;
        }
        if (!result.Succeeded)
        {
            await TryExecuteAsync(admin, $"DROP DATABASE IF EXISTS {PgSql.QuoteIdentifier(database)}").ConfigureAwait(false);
            throw new BackupException($"pg_restore could not restore '{backup.Path}' ({onFailure}): {result.ErrorSummary}");
        }
    }

    private async Task VerifyWithAsync(string pgRestore, BackupEntry backup, bool wholeArchive, CancellationToken cancellationToken)
    {
        var path = backup.Path;
        var manifest = backup.Manifest;
        long size;
        string sha256;
        try
        {
            if (!File.Exists(path))
            {
                throw new BackupException($"The backup archive '{path}' does not exist.");
            }
            size = new FileInfo(path).Length;
            if (size != manifest.SizeBytes)
            {
                throw new BackupException(
                    $"The backup archive '{path}' is damaged or was changed: it is {size} bytes, its sidecar says {manifest.SizeBytes} bytes.");
            }
            sha256 = await BackupHasher.ComputeSha256Async(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"The backup archive '{path}' cannot be read: {ex.Message}", ex);
        }
        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                $"The backup archive '{path}' is damaged or was changed: its SHA-256 is {sha256}, its sidecar says {manifest.Sha256}.");
        }
        if (!string.Equals(manifest.Format, ArchiveFormat, StringComparison.Ordinal))
        {
            throw new BackupException($"The backup archive '{path}' has format '{manifest.Format}'; only '{ArchiveFormat}' archives can be verified and restored.");
        }
        if (wholeArchive)
        {
            await ReadWholeArchiveAsync(pgRestore, path, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ListArchiveAsync(pgRestore, path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>pg_restore --file=/dev/null &lt;archive&gt;</c>: reads the table of contents and every data block (decompressing
    /// it) and writes the SQL script a restore would run to nowhere, without a server. A truncated or damaged archive
    /// fails here ("could not read input file: end of file", a zlib error), where <c>--list</c>, which reads only the
    /// table of contents, passes.
    /// </summary>
    private async Task ReadWholeArchiveAsync(string pgRestore, string archive, CancellationToken cancellationToken)
    {
        var nullDevice = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        var read = await _tools.RunAsync(pgRestore, ["--file=" + nullDevice, archive], null, cancellationToken).ConfigureAwait(false);
        if (!read.Succeeded)
        {
            throw new BackupException($"pg_restore cannot read the whole backup archive '{archive}' (it is truncated or damaged): {read.ErrorSummary}");
        }
    }

    private async Task ListArchiveAsync(string pgRestore, string archive, CancellationToken cancellationToken)
    {
        var list = await _tools.RunAsync(pgRestore, ["--list", archive], null, cancellationToken).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            throw new BackupException($"pg_restore cannot read the backup archive '{archive}': {list.ErrorSummary}");
        }
    }

    /// <summary>
    /// Picks the first free archive name (no archive, partial archive or sidecar of that name) and reserves it
    /// by creating its empty partial archive with mode 0600. The returned stream stays open until the backup ends: it holds
    /// a shared lock on the partial archive (<see cref="BackupCatalog.PrunePartials"/> removes only partial archives nobody
    /// holds, so never one being written).
    /// </summary>
    /// <exception cref="IOException">The folder is not usable.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder is not writable.</exception>
    private (string Name, string Path, FileStream Reservation) ReserveArchiveName(string folder, DateTimeOffset createdUtc, string? headMigration)
    {
        for (var sequence = 1; ; sequence++)
        {
            var name = BackupFileNames.ArchiveName(Database, createdUtc, headMigration, sequence);
            var path = Path.Combine(folder, name);
            var partial = BackupFileNames.PartialPathFor(path);
            if (File.Exists(path) || File.Exists(partial) || File.Exists(BackupFileNames.ManifestPathFor(path)))
            {
                continue;
            }
            try
            {
                return (name, path, PrivateFiles.CreateNewHeld(partial));
            }
            catch (IOException) when (File.Exists(partial))
            {
                // Another backup took this name a moment ago.
            }
        }
    }

    private sealed record Programs(string PgDump, string PgRestore, string ServerVersion);

    private async Task<Programs> ResolveProgramsAsync(CancellationToken cancellationToken)
    {
        var dumps = _tools.FindAll(PgTools.PgDump);
        if (dumps.Count == 0)
        {
            throw NotFound(PgTools.PgDump, null);
        }

        string serverVersionText;
        PgVersion server;
        await using (var connection = await OpenAsync(_connection.ConnectionStringFor(Database, pooling: false), Database, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using var command = new NpgsqlCommand(
                    "SELECT current_setting('server_version'), current_setting('server_version_num')::int", connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                serverVersionText = reader.GetString(0);
                server = PgVersion.FromServerVersionNum(reader.GetInt32(1));
            }
            catch (NpgsqlException ex)
            {
                throw new BackupException($"Cannot read the server version of {_connection.Describe()}: {ex.Message}", ex);
            }
        }

        string? pgDump = null;
        PgVersion? dumpVersion = null;
        (string Path, PgVersion Version)? newestTooOld = null;
        foreach (var candidate in dumps)
        {
            var version = await _tools.GetVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!version.IsOlderMajorThan(server))
            {
                pgDump = candidate;
                dumpVersion = version;
                break;
            }
            if (newestTooOld is null || newestTooOld.Value.Version.MajorKey < version.MajorKey)
            {
                newestTooOld = (candidate, version);
            }
        }
        if (pgDump is null || dumpVersion is null)
        {
            var (path, version) = newestTooOld!.Value;
            throw new BackupException(
                $"pg_dump {version.MajorLabel} cannot dump a PostgreSQL {server.MajorLabel} server ({_connection.Describe()}; pg_dump found at '{path}'): " +
                $"pg_dump must be of the server's major version or newer. Install pg_dump {server.MajorLabel} or newer " +
                $"(the PostgreSQL {server.MajorLabel} client programs, e.g. the postgresql-client-{server.MajorLabel} package) " +
                $"and put it on PATH, or set {PgTools.BinFolderVariable} to the folder that contains it.");
        }

        var restores = _tools.FindAll(PgTools.PgRestore);
        var sameFolder = restores.FirstOrDefault(r => string.Equals(Path.GetDirectoryName(r), Path.GetDirectoryName(pgDump), StringComparison.Ordinal));
        string? pgRestore = null;
        PgVersion? restoreVersion = null;
        var ordered = sameFolder is null ? restores : [sameFolder, .. restores.Where(r => r != sameFolder)];
        foreach (var candidate in ordered)
        {
            var version = await _tools.GetVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!version.IsOlderMajorThan(dumpVersion))
            {
                pgRestore = candidate;
                break;
            }
            restoreVersion ??= version;
        }
        if (pgRestore is null)
        {
            if (restoreVersion is null)
            {
                throw NotFound(PgTools.PgRestore, server);
            }
            throw new BackupException(
                $"pg_restore {restoreVersion.MajorLabel} cannot read archives written by pg_dump {dumpVersion.MajorLabel} ('{pgDump}'). " +
                $"Install pg_restore {dumpVersion.MajorLabel} or newer next to it, or set {PgTools.BinFolderVariable} to a folder that has both.");
        }
        return new Programs(pgDump, pgRestore, serverVersionText);
    }

    private async Task<string> FindNewestRestoreAsync(CancellationToken cancellationToken)
    {
        var restores = _tools.FindAll(PgTools.PgRestore);
        if (restores.Count == 0)
        {
            throw NotFound(PgTools.PgRestore, null);
        }
        if (restores.Count == 1)
        {
            return restores[0];
        }
        var best = restores[0];
        PgVersion? bestVersion = null;
        foreach (var candidate in restores)
        {
            PgVersion version;
            try
            {
                version = await _tools.GetVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
            }
            catch (BackupException)
            {
                continue;
            }
            if (bestVersion is null || bestVersion.MajorKey < version.MajorKey)
            {
                (best, bestVersion) = (candidate, version);
            }
        }
        return best;
    }

    private BackupException NotFound(string program, PgVersion? server)
    {
        var which = server is null ? "" : $" {server.MajorLabel} or newer";
        return new BackupException(
            $"{program} was not found {_tools.DescribeSearch()}. It is needed to back up {_connection.Describe()}. " +
            $"Install the PostgreSQL client programs{which} (Debian/Ubuntu: apt-get install postgresql-client; " +
            $"macOS: brew install libpq; Windows: the PostgreSQL installer), or set {PgTools.BinFolderVariable} " +
            $"to the folder that contains {program}.");
    }

    /// <summary>
    /// An unpooled connection to the maintenance database, for CREATE/ALTER/DROP DATABASE (which cannot run
    /// while connected to the database concerned).
    /// </summary>
    private async Task<NpgsqlConnection> OpenAdminConnectionAsync(string avoid, CancellationToken cancellationToken)
    {
        var candidates = new[] { "postgres", "template1" }
            .Where(d => !string.Equals(d, avoid, StringComparison.Ordinal) && !string.Equals(d, Database, StringComparison.Ordinal))
            .DefaultIfEmpty("postgres")
            .ToList();
        for (var i = 0; ; i++)
        {
            try
            {
                return await OpenAsync(_connection.ConnectionStringFor(candidates[i], pooling: false), candidates[i], cancellationToken, rethrowMissing: i + 1 < candidates.Count)
                    .ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == InvalidCatalogName && i + 1 < candidates.Count)
            {
                // No "postgres" database: use template1.
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string connectionString, string database, CancellationToken cancellationToken, bool rethrowMissing = false)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (PostgresException ex) when (rethrowMissing && ex.SqlState == InvalidCatalogName)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            var where = string.Equals(database, Database, StringComparison.Ordinal)
                ? _connection.Describe()
                : $"{_connection.Describe()} (maintenance database \"{database}\")";
            throw new BackupException($"Cannot connect to {where}: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }


    /// <summary>Best-effort SQL during cleanup; errors are swallowed because a more important one is being reported.</summary>
    private static async Task TryExecuteAsync(NpgsqlConnection connection, string sql)
    {
        try
        {
            await PgSql.ExecuteAsync(connection, sql, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // Reported by the caller's exception.
        }
    }
}
