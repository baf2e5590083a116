using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// The <c>restore-point</c> backup strategy, for servers whose WAL is archived (point-in-time recovery): instead of a dump,
/// a named restore point (<c>pg_create_restore_point</c>) is made and its WAL segment sent to the archive
/// (<c>pg_switch_wal</c>), and a sidecar <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head&gt;.restore-point.json</c> records it
/// (<see cref="RestorePointInfo"/>). It costs milliseconds whatever the database's size. Restoring it is the DBA's
/// point-in-time recovery of the whole server (<see cref="PgRecoveryProcedure"/>), which this provider never runs:
/// <see cref="RestoreAsync"/> and <see cref="ReplaceAsync"/> throw with the procedure.
/// </summary>
/// <remarks>
/// PostgreSQL rules relied on: <c>archive_mode</c> must be <c>on</c> or <c>always</c> (it needs <c>wal_level</c> replica or
/// logical); <c>pg_stat_archiver</c> counts archived and failed segments (<c>last_archived_wal</c>, <c>last_failed_time</c>);
/// a WAL segment is archived only once it is complete, which <c>pg_switch_wal</c> forces; WAL file names of one timeline
/// sort in WAL order. <c>pg_create_restore_point</c> and <c>pg_switch_wal</c> are for superusers unless granted
/// (<c>GRANT EXECUTE ON FUNCTION pg_create_restore_point(text), pg_switch_wal() TO role</c>). Restore point names are
/// at most 63 bytes.
/// </remarks>
internal sealed class PgRestorePointProvider : IBackupProvider
{
    /// <summary>Longest restore point name PostgreSQL keeps (<c>MAXFNAMELEN</c> - 1), in bytes.</summary>
    public const int MaxNameLength = 63;

    private readonly PgConnectionInfo _connection;
    private readonly string _toolVersion;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider for the database of <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">Npgsql connection string of the database the restore point is made for (it is made for the whole server).</param>
    /// <param name="toolVersion">Version of safe-migrate, recorded in each sidecar.</param>
    /// <param name="timeProvider">Clock for the sidecar's name and time; the system clock when null.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or has no host.</exception>
    public PgRestorePointProvider(string connectionString, string toolVersion, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolVersion);
        _connection = new PgConnectionInfo(connectionString);
        _toolVersion = toolVersion;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Database => _connection.Database;

    /// <summary>How long <see cref="CreateAsync"/> waits for the archiver to archive the restore point's WAL segment. Default: 60 s.</summary>
    public TimeSpan ArchiveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    /// <remarks>Not used: making a restore point takes milliseconds.</remarks>
    public IProgress<BackupProgress>? Progress { get; set; }

    /// <summary>
    /// Checks that the server archives its WAL and that archiving works: <c>archive_mode</c> is <c>on</c> or <c>always</c>,
    /// and <c>pg_stat_archiver</c> shows no failure newer than the last success. Changes nothing.
    /// </summary>
    /// <exception cref="BackupException">Archiving is off or failing (the message says what to fix), or the server cannot be reached.</exception>
    public async Task CheckAvailableAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await PgServerConnections.OpenAsync(_connection, Database, cancellationToken: cancellationToken).ConfigureAwait(false);
        _ = await ReadArchiverAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Steps: <see cref="CheckAvailableAsync"/>; <c>pg_create_restore_point('&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head&gt;')</c> (cut to
    /// 63 bytes) with its LSN, WAL file, timeline and the server's time; <c>pg_switch_wal()</c>; then wait (up to
    /// <see cref="ArchiveTimeout"/>) until <c>pg_stat_archiver</c> shows that segment archived — a failure reported by the
    /// archiver meanwhile fails the backup; only then is the sidecar written (0600, folder 0700). A restore point that was
    /// made but whose archiving failed is harmless: recovery never reaches it.
    /// </remarks>
    public async Task<BackupEntry> CreateAsync(string folder, string? headMigration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullFolder = Path.GetFullPath(folder);
        var createdUtc = _time.GetUtcNow().ToUniversalTime();
        await using var connection = await PgServerConnections.OpenAsync(_connection, Database, cancellationToken: cancellationToken).ConfigureAwait(false);
        var before = await ReadArchiverAsync(connection, cancellationToken).ConfigureAwait(false);

        var fileName = BackupFileNames.ArchiveName(Database, createdUtc, headMigration, 1, BackupFileNames.RestorePointExtension);
        var name = Truncate(fileName[..^BackupFileNames.RestorePointExtension.Length]);
        RestorePointInfo point;
        string serverVersion;
        try
        {
            await using var command = new NpgsqlCommand(
                "WITH p AS (SELECT pg_create_restore_point($1) AS lsn) " +
                "SELECT p.lsn::text, pg_walfile_name(p.lsn), (SELECT timeline_id FROM pg_control_checkpoint()), now(), current_setting('server_version') FROM p",
                connection);
            command.Parameters.Add(new NpgsqlParameter { Value = name });
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                point = new RestorePointInfo(name, reader.GetString(0), new DateTimeOffset(reader.GetFieldValue<DateTime>(3), TimeSpan.Zero), reader.GetInt32(2), reader.GetString(1));
                serverVersion = reader.GetString(4);
            }
            await using var switchWal = new NpgsqlCommand("SELECT pg_switch_wal()", connection);
            await switchWal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new BackupException(
                $"Cannot make a restore point on {_connection.Describe()}: {ex.MessageText} ({ex.SqlState}). pg_create_restore_point and pg_switch_wal are for superusers; " +
                $"a superuser can allow this role with: GRANT EXECUTE ON FUNCTION pg_create_restore_point(text), pg_switch_wal() TO {PgSql.QuoteIdentifier(_connection.Username)};", ex);
        }
        catch (NpgsqlException ex)
        {
            throw new BackupException($"Cannot make a restore point on {_connection.Describe()}: {ex.Message}", ex);
        }

        await WaitUntilArchivedAsync(connection, point, before, cancellationToken).ConfigureAwait(false);

        var manifest = new BackupManifest(
            File: fileName,
            Database: Database,
            ServerVersion: serverVersion,
            HeadMigration: string.IsNullOrEmpty(headMigration) ? null : headMigration,
            SizeBytes: 0,
            Sha256: NameHash(name),
            ToolVersion: _toolVersion,
            CreatedUtc: createdUtc,
            Format: BackupStrategies.RestorePointFormat,
            RestorePoint: point);
        try
        {
            return BackupManifestSerializer.WriteRecord(
                fullFolder, manifest, sequence => BackupFileNames.ArchiveName(Database, createdUtc, headMigration, sequence, BackupFileNames.RestorePointExtension));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException(
                $"The restore point '{name}' was made on {_connection.Describe()} and archived, but its record could not be written into '{fullFolder}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks a restore point's record: the sidecar is well formed and its <c>sha256</c> is that of the point's name. The
    /// data is in the server's WAL archive, which is not read here (it may be on another machine).
    /// </summary>
    /// <exception cref="BackupException">The record does not match.</exception>
    public Task VerifyAsync(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        Check(backup);
        return Task.CompletedTask;
    }

    /// <summary>Never restores: throws with the point-in-time recovery procedure (<see cref="PgRecoveryProcedure.Describe"/>).</summary>
    /// <exception cref="BackupException">Always; nothing was changed.</exception>
    public Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken = default)
        => throw new BackupException(PgRecoveryProcedure.Describe(backup));

    /// <summary>Never restores: throws with the point-in-time recovery procedure (<see cref="PgRecoveryProcedure.Describe"/>).</summary>
    /// <exception cref="BackupException">Always; nothing was changed.</exception>
    public Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options)
        => throw new BackupException(PgRecoveryProcedure.Describe(backup));

    /// <summary>Checks a restore point's record without a server: format, the point present, the <c>sha256</c> of its name.</summary>
    /// <exception cref="BackupException">The record is not a restore point or does not match.</exception>
    public static void Check(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (backup.Manifest is not { Format: BackupStrategies.RestorePointFormat, RestorePoint: { } point })
        {
            throw new BackupException($"'{backup.ManifestPath}' is not a restore point record.");
        }
        if (!string.Equals(NameHash(point.Name), backup.Manifest.Sha256, StringComparison.Ordinal))
        {
            throw new BackupException(
                $"The restore point record '{backup.ManifestPath}' was changed: its sha256 is not that of the restore point name '{point.Name}'.");
        }
    }

    /// <summary>The <c>sha256</c> recorded for a restore point: SHA-256 of its name's UTF-8 bytes, lower-case hex.</summary>
    public static string NameHash(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static string Truncate(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        return bytes.Length <= MaxNameLength ? name : Encoding.ASCII.GetString(bytes, 0, MaxNameLength); // Sanitize kept it ASCII
    }

    private sealed record ArchiverState(long Archived, string? LastArchivedWal, DateTime? LastArchivedTime, long Failed, string? LastFailedWal, DateTime? LastFailedTime);

    private async Task<ArchiverState> ReadArchiverAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        string mode;
        string archiveCommand;
        ArchiverState state;
        try
        {
            await using var command = new NpgsqlCommand(
                "SELECT current_setting('archive_mode'), current_setting('archive_command'), archived_count, last_archived_wal, last_archived_time, " +
                "failed_count, last_failed_wal, last_failed_time FROM pg_stat_archiver", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            mode = reader.GetString(0);
            archiveCommand = reader.GetString(1);
            state = new ArchiverState(
                reader.GetInt64(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTime>(4),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTime>(7));
        }
        catch (NpgsqlException ex)
        {
            throw new BackupException($"Cannot read the WAL archiving state of {_connection.Describe()}: {ex.Message}", ex);
        }

        if (mode is not ("on" or "always"))
        {
            throw new BackupException(
                $"The restore-point backup strategy needs WAL archiving, but archive_mode is '{mode}' on {_connection.Describe()}: a restore point is " +
                "useless without the archived WAL to recover to it. Turn archiving on (archive_mode = on, archive_command or archive_library, and a restart), " +
                "or choose another strategy: --backup-strategy pgdump.");
        }
        if (state.LastFailedTime is { } failed && (state.LastArchivedTime is not { } archived || failed > archived))
        {
            throw new BackupException(
                $"The restore-point backup strategy needs working WAL archiving, but the archiver of {_connection.Describe()} is failing: WAL file " +
                $"{state.LastFailedWal} failed at {failed:yyyy-MM-dd HH:mm:ss} UTC ({state.Failed} failure(s)), " +
                $"{(state.LastArchivedTime is { } ok ? $"the last success was {state.LastArchivedWal} at {ok:yyyy-MM-dd HH:mm:ss} UTC" : "nothing was ever archived")}. " +
                $"Fix archive_command (now '{archiveCommand}'; the server log says why it fails), check with: SELECT * FROM pg_stat_archiver; " +
                "or choose another strategy: --backup-strategy pgdump.");
        }
        return state;
    }

    private async Task WaitUntilArchivedAsync(NpgsqlConnection connection, RestorePointInfo point, ArchiverState before, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + ArchiveTimeout;
        while (true)
        {
            var state = await ReadArchiverAsync(connection, cancellationToken).ConfigureAwait(false);
            if (state.LastArchivedWal is { } last && last.Length == point.WalFile.Length && string.CompareOrdinal(last, point.WalFile) >= 0)
            {
                return;
            }
            if (state.Failed > before.Failed)
            {
                throw new BackupException(
                    $"The restore point '{point.Name}' was made on {_connection.Describe()}, but its WAL file {point.WalFile} could not be archived " +
                    $"(archiver failure on {state.LastFailedWal} at {state.LastFailedTime:yyyy-MM-dd HH:mm:ss} UTC). Fix archive_command (the server log says why), " +
                    "check with: SELECT * FROM pg_stat_archiver; or choose another strategy: --backup-strategy pgdump.");
            }
            if (_time.GetUtcNow() > deadline)
            {
                throw new BackupException(
                    $"The restore point '{point.Name}' was made on {_connection.Describe()}, but its WAL file {point.WalFile} was not archived within " +
                    $"{ArchiveTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s (last archived: {state.LastArchivedWal ?? "none"}). " +
                    "Check the archiver (SELECT * FROM pg_stat_archiver; the server log), or choose another strategy: --backup-strategy pgdump.");
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }
}
