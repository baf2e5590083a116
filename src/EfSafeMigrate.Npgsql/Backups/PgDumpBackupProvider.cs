using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Backups of one PostgreSQL database with <c>pg_dump --format=custom</c>, verified with
/// <c>pg_restore --file=/dev/null</c> (the whole archive is read back) and SHA-256, restored with <c>pg_restore</c>.
/// This file creates backups; reading archives back is <see cref="PgArchiveVerifier"/>'s, restoring (into a new
/// database, or over this one with a swap) <see cref="PgBackupRestorer"/>'s, and choosing the client programs
/// (tool-version negotiation) <see cref="PgClientPrograms"/>'s.
/// </summary>
/// <remarks>
/// <para>
/// The programs are found by <see cref="PgTools"/> and chosen by <see cref="PgClientPrograms"/>: the first
/// <c>pg_dump</c> in search order whose major version is at least the server's (pg_dump can dump servers of
/// its own and older majors only), and <c>pg_restore</c> from the same folder (else the newest found).
/// </para>
/// <para>
/// The connection reaches the programs through environment variables
/// (<see cref="PgConnectionInfo.LibpqEnvironment"/>, password in <c>PGPASSWORD</c>); command lines carry
/// only options, file paths and <c>dbname='...'</c>. Messages name the connection with
/// <see cref="PgConnectionInfo.Describe"/> and never contain the password or the connection string.
/// </para>
/// <para>
/// The provider's own SQL (server version, CREATE/ALTER/DROP DATABASE) runs on unpooled Npgsql
/// connections (<see cref="PgServerConnections"/>) to the maintenance database <c>postgres</c> (<c>template1</c>
/// when the target is <c>postgres</c> itself or <c>postgres</c> does not exist).
/// </para>
/// </remarks>
internal sealed class PgDumpBackupProvider : IBackupProvider
{
    /// <summary>Value of <see cref="BackupManifest.Format"/> for archives written here.</summary>
    public const string ArchiveFormat = PgArchiveVerifier.ArchiveFormat;

    /// <summary>How long a replace waits for sessions on the original database to go away, in milliseconds.</summary>
    public const int TakeOverTimeoutMilliseconds = 10_000;

    private readonly PgConnectionInfo _connection;
    private readonly string _toolVersion;
    private readonly PgTools _tools;
    private readonly TimeProvider _time;

    /// <summary>The programs chosen by the first <see cref="CheckAvailableAsync"/> or <see cref="CreateAsync"/>, reused by the next.</summary>
    private PgBackupPrograms? _programs;

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
    /// With a value, backups are <c>pg_dump --format=directory --jobs=N</c> archives (the <c>pgdump-parallel</c> strategy):
    /// a folder <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head&gt;.dir</c> (mode 0700, its files 0600) that pg_dump writes
    /// with N connections, one table at a time each (at least 1). <c>null</c> (the default): one
    /// <c>pg_dump --format=custom</c> file.
    /// </summary>
    public int? ParallelJobs { get; init; }

    /// <summary>
    /// How many parallel jobs <c>pg_restore</c> uses for a restore (<c>pg_restore --jobs</c>: data loads and index builds
    /// spread over that many connections). Both archive formats written here allow it (custom-format files, being seekable,
    /// and directories). 1 or <c>null</c> (the default): one job.
    /// </summary>
    public int? RestoreJobs { get; init; }

    /// <inheritdoc />
    /// <remarks>With a receiver, <c>pg_dump</c> and <c>pg_restore</c> run with <c>--verbose</c> (<see cref="PgVerboseProgress"/>).</remarks>
    public IProgress<BackupProgress>? Progress { get; set; }

    /// <summary>
    /// The programs for this provider's backups, chosen once (<see cref="PgClientPrograms.ForBackupAsync"/>: a session to
    /// read the server's version, <c>--version</c> runs); the check before a run and the backup it then takes use the same
    /// choice. A failed choice is not kept.
    /// </summary>
    private async Task<PgBackupPrograms> ProgramsAsync(CancellationToken cancellationToken) =>
        _programs ??= await PgClientPrograms.ForBackupAsync(_tools, _connection, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Finds <c>pg_dump</c> and <c>pg_restore</c>, connects to the server, and checks that
    /// <c>pg_dump</c>'s major version is not older than the server's (<c>server_version_num</c>) and that
    /// <c>pg_restore</c> is not older than <c>pg_dump</c> (it could not read the archives). Changes nothing.
    /// </summary>
    /// <exception cref="BackupException">A program is missing or too old (the message says which version to
    /// install and about <c>SAFE_MIGRATE_PG_BIN</c>), or the server cannot be reached.</exception>
    public async Task CheckAvailableAsync(CancellationToken cancellationToken = default) =>
        await ProgramsAsync(cancellationToken).ConfigureAwait(false);

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
    /// <remarks>
    /// With <see cref="ParallelJobs"/>: the same steps with a folder: the partial archive is the empty folder
    /// <c>&lt;archive&gt;.dir.partial</c> (0700; pg_dump writes into an existing empty folder), <c>pg_dump --format=directory
    /// --jobs=N</c>, its files set to 0600, verified by reading it whole, hashed with <see cref="BackupHasher.ComputeFolderSha256Async"/>,
    /// then renamed to <c>.dir</c>.
    /// </remarks>
    public async Task<BackupEntry> CreateAsync(string folder, string? headMigration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var directoryFormat = ParallelJobs is not null;
        var programs = await ProgramsAsync(cancellationToken).ConfigureAwait(false);
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
                (name, archivePath, reservation) = directoryFormat
                    ? ReserveFolderName(fullFolder, createdUtc, headMigration)
                    : ReserveArchiveName(fullFolder, createdUtc, headMigration);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new BackupException(
                    $"Cannot back up {_connection.Describe()}: the backup folder '{fullFolder}' is not writable ({ex.Message}).", ex);
            }
            partial = BackupFileNames.PartialPathFor(archivePath);
            manifestPath = BackupFileNames.ManifestPathFor(archivePath);

            List<string> dumpArguments = directoryFormat
                ? ["--format=directory", "--jobs=" + Math.Max(1, ParallelJobs!.Value).ToString(System.Globalization.CultureInfo.InvariantCulture), "--file=" + partial, "--no-password"]
                : ["--format=custom", "--file=" + partial, "--no-password"];
            if (LockWaitTimeout is { } lockWait)
            {
                dumpArguments.Add("--lock-wait-timeout=" + Math.Max(1, (long)lockWait.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            PgProcessResult dump;
            using (var progress = PgVerboseProgress.ForDump(Progress, partial))
            {
                if (progress is not null)
                {
                    dumpArguments.Add("--verbose");
                }

                dump = await _tools.RunAsync(programs.PgDump, dumpArguments, _connection.LibpqEnvironment(), cancellationToken, progress is null ? null : progress.OnErrorLine).ConfigureAwait(false);
                Progress?.Report(new BackupProgress(BackupPhase.Verifying, 0, null, progress?.TablesDone ?? 0));
            }

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
                foreach (var written in directoryFormat ? Directory.GetFiles(partial) : [partial])
                {
                    File.SetUnixFileMode(written, PrivateFiles.FileMode0600);
                }
            }

            try
            {
                await new PgArchiveVerifier(_tools).ReadWholeArchiveAsync(programs.PgRestore, partial, cancellationToken).ConfigureAwait(false);
            }
            catch (BackupException ex)
            {
                throw new BackupException(
                    $"The backup of {_connection.Describe()} written into '{fullFolder}' failed verification and was deleted: {ex.Message}", ex);
            }
            var (sha256, size) = directoryFormat
                ? await BackupHasher.ComputeFolderSha256Async(partial, cancellationToken).ConfigureAwait(false)
                : (await BackupHasher.ComputeSha256Async(partial, cancellationToken).ConfigureAwait(false), new FileInfo(partial).Length);
            if (size == 0)
            {
                throw new BackupException($"pg_dump wrote an empty archive for {_connection.Describe()} into '{fullFolder}'.");
            }

            var manifest = new BackupManifest(
                File: name,
                Database: Database,
                ServerVersion: programs.ServerVersion,
                HeadMigration: string.IsNullOrEmpty(headMigration) ? null : headMigration,
                SizeBytes: size,
                Sha256: sha256,
                ToolVersion: _toolVersion,
                CreatedUtc: createdUtc,
                Format: directoryFormat ? BackupStrategies.DirectoryFormat : ArchiveFormat);
            BackupManifestSerializer.Write(manifestPath, manifest);
            manifestWritten = true;
            if (directoryFormat)
            {
                Directory.Move(partial, archivePath);
            }
            else
            {
                File.Move(partial, archivePath, overwrite: false);
            }
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
            if (directoryFormat && partial is not null && Directory.Exists(partial))
            {
                try
                {
                    Directory.Delete(partial, recursive: true);
                }
                catch (Exception cleanupError) when (cleanupError is IOException or UnauthorizedAccessException)
                {
                    // Listed by 'backup list' as an incomplete archive folder.
                }
            }
            else
            {
                PrivateFiles.TryDelete(partial);
            }
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
    /// <remarks>See <see cref="PgArchiveVerifier.VerifyAsync"/>: size, SHA-256 and format against the sidecar, and
    /// <c>pg_restore --file=/dev/null</c> reads the whole archive. Needs no server connection.</remarks>
    public Task VerifyAsync(BackupEntry backup) => new PgArchiveVerifier(_tools).VerifyAsync(backup);

    /// <inheritdoc />
    /// <remarks>See <see cref="PgBackupRestorer.RestoreAsync"/>.</remarks>
    public Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return new PgBackupRestorer(this, _tools).RestoreAsync(backup, intoDatabase, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>See <see cref="PgBackupRestorer.ReplaceAsync"/>: a staging database restored under the migration lock,
    /// then swapped in by renames (<see cref="PgDatabaseSwap"/>), so the database is always there under its name.</remarks>
    /// <exception cref="BackupException">Verification, the backup first, creation, restore or swap failed; the database was not changed.</exception>
    /// <exception cref="EfSafeMigrate.Locking.MigrationLockTimeoutException">The lock was not free in time; nothing was changed.</exception>
    public Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(options);
        return new PgBackupRestorer(this, _tools).ReplaceAsync(backup, options);
    }

    /// <summary>
    /// Picks the first free <c>.dir</c> name (no folder, partial folder or sidecar of that name) and reserves it by creating
    /// the empty partial folder with mode 0700. No stream holds it (a folder cannot be locked like a file):
    /// <see cref="BackupCatalog.PrunePartials"/> leaves partial folders alone.
    /// </summary>
    private (string Name, string Path, FileStream? Reservation) ReserveFolderName(string folder, DateTimeOffset createdUtc, string? headMigration)
    {
        for (var sequence = 1; ; sequence++)
        {
            var name = BackupFileNames.ArchiveName(Database, createdUtc, headMigration, sequence, BackupFileNames.DirectoryExtension);
            var path = Path.Combine(folder, name);
            var partial = BackupFileNames.PartialPathFor(path);
            if (Directory.Exists(path) || Directory.Exists(partial) || File.Exists(BackupFileNames.ManifestPathFor(path)))
            {
                continue;
            }
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(partial);
            }
            else
            {
                Directory.CreateDirectory(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
            return (name, path, null);
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
    private (string Name, string Path, FileStream? Reservation) ReserveArchiveName(string folder, DateTimeOffset createdUtc, string? headMigration)
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
}
