using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// The <c>pgbackrest</c> backup strategy: before a change, <c>pgbackrest --stanza=S [--config=C] backup --type=incr</c> (pgBackRest
/// makes it full when the stanza has no full backup yet), checked with <c>pgbackrest info --output=json</c> (the new label,
/// no error) and <c>pgbackrest verify --set=LABEL</c>, and recorded in a sidecar
/// <c>&lt;database&gt;_&lt;yyyyMMdd_HHmmss&gt;_&lt;head&gt;.pgbackrest.json</c> (<see cref="PgBackRestBackupInfo"/>). The backup is of the whole
/// cluster, kept in pgBackRest's repository. Restoring it replaces the server's data directory
/// (<c>pgbackrest restore --delta</c>), which cannot be done from here for a server on another machine: <see cref="RestoreAsync"/> and
/// <see cref="ReplaceAsync"/> throw with the command (<see cref="RestoreCommand"/>).
/// </summary>
/// <remarks>
/// pgBackRest runs where this tool runs, as this tool's user, with its own configuration (repository, <c>pg1-path</c>,
/// <c>pg1-host</c> for a remote server): the connection string is not passed to it. Run it as the repository's owner (the user
/// <c>archive-push</c> runs as): files it writes as another user (root) lock that user out. <see cref="ProgramVariable"/> names
/// another program (a wrapper). Its exit code and error output are reported as they are.
/// </remarks>
internal sealed class PgBackRestProvider : IBackupProvider
{
    /// <summary>The program's name, found on PATH unless <see cref="ProgramVariable"/> names another.</summary>
    public const string Program = "pgbackrest";

    /// <summary>
    /// Environment variable with the pgBackRest program to run instead of <c>pgbackrest</c> on PATH (a full path, or a wrapper
    /// that runs it as the repository's owner).
    /// </summary>
    public const string ProgramVariable = "SAFE_MIGRATE_PGBACKREST";

    private static string ProgramPath => Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } given ? given : Program;

    private readonly PgConnectionInfo? _connection;
    private readonly string _toolVersion;
    private readonly string _stanza;
    private readonly string? _configPath;
    private readonly PgTools _tools;
    private readonly string _program;
    private readonly TimeProvider _time;

    /// <summary>Creates the provider.</summary>
    /// <param name="connectionString">The database migrated (named in the sidecar and the messages; pgBackRest backs up its whole cluster).</param>
    /// <param name="toolVersion">Version of safe-migrate, recorded in each sidecar.</param>
    /// <param name="stanza">The pgBackRest stanza of the database's cluster.</param>
    /// <param name="configPath">pgBackRest's configuration file; null for its default (<c>/etc/pgbackrest/pgbackrest.conf</c>).</param>
    /// <param name="timeProvider">Clock for the sidecar's name; the system clock when null.</param>
    /// <param name="program">The pgBackRest program; null: <see cref="ProgramVariable"/>, else <c>pgbackrest</c> on PATH.</param>
    /// <exception cref="ArgumentException">The connection string is malformed, or the stanza is empty.</exception>
    public PgBackRestProvider(string connectionString, string toolVersion, string stanza, string? configPath, TimeProvider? timeProvider = null, string? program = null)
    {
        _program = program ?? ProgramPath;
        ArgumentException.ThrowIfNullOrEmpty(toolVersion);
        ArgumentException.ThrowIfNullOrEmpty(stanza);
        _connection = new PgConnectionInfo(connectionString);
        _toolVersion = toolVersion;
        _stanza = stanza;
        _configPath = string.IsNullOrEmpty(configPath) ? null : Path.GetFullPath(configPath);
        _tools = new PgTools(binFolder: null);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Database => _connection?.Database ?? "";

    private string Describe() => _connection?.Describe() ?? $"stanza '{_stanza}'";

    /// <inheritdoc />
    /// <remarks>Not used: pgBackRest reports its own progress in its log.</remarks>
    public IProgress<BackupProgress>? Progress { get; set; }

    /// <summary>
    /// Checks that <c>pgbackrest</c> runs and knows the stanza: <c>pgbackrest info --output=json</c> succeeds with status
    /// <c>ok</c> or <c>no valid backups</c> (the first backup is then full). Changes nothing.
    /// </summary>
    /// <exception cref="BackupException">pgBackRest is missing, the stanza is unknown or in error.</exception>
    public async Task CheckAvailableAsync(CancellationToken cancellationToken = default)
        => _ = await InfoAsync(null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <remarks>
    /// <c>pgbackrest backup --type=incr</c>; the newest backup in <c>pgbackrest info</c> afterwards must be a new one without
    /// error; <c>pgbackrest verify --set=LABEL</c> must pass; then the sidecar is written (0600, folder 0700).
    /// </remarks>
    public async Task<BackupEntry> CreateAsync(string folder, string? headMigration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var fullFolder = Path.GetFullPath(folder);
        var createdUtc = _time.GetUtcNow().ToUniversalTime();
        var before = await InfoAsync(null, cancellationToken).ConfigureAwait(false);
        var previous = Newest(before)?.GetProperty("label").GetString();

        var backup = await RunAsync(["backup", "--type=incr"], cancellationToken).ConfigureAwait(false);
        if (!backup.Succeeded)
        {
            throw new BackupException($"pgbackrest backup of stanza '{_stanza}' ({Describe()}) failed (exit code {backup.ExitCode}): {backup.ErrorSummary}");
        }

        var after = await InfoAsync(null, cancellationToken).ConfigureAwait(false);
        var newest = Newest(after) ?? throw new BackupException($"pgbackrest backup of stanza '{_stanza}' reported success, but 'pgbackrest info' lists no backup.");
        var label = newest.GetProperty("label").GetString()!;
        if (label == previous)
        {
            throw new BackupException($"pgbackrest backup of stanza '{_stanza}' reported success, but 'pgbackrest info' shows no new backup (the newest is still {label}).");
        }
        if (newest.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.True)
        {
            throw new BackupException($"pgbackrest backup {label} of stanza '{_stanza}' has errors (page checksums or files); see 'pgbackrest info --set={label}'.");
        }

        var verify = await RunAsync(["verify", "--set=" + label], cancellationToken).ConfigureAwait(false);
        if (!verify.Succeeded)
        {
            throw new BackupException($"pgbackrest verify of backup {label} (stanza '{_stanza}') failed (exit code {verify.ExitCode}): {verify.ErrorSummary}");
        }

        var info = new PgBackRestBackupInfo(
            _stanza, _configPath, label, newest.GetProperty("type").GetString() ?? "incr",
            newest.GetProperty("lsn").GetProperty("start").GetString() ?? "", newest.GetProperty("lsn").GetProperty("stop").GetString() ?? "",
            newest.GetProperty("info").GetProperty("size").GetInt64());
        var manifest = new BackupManifest(
            File: BackupFileNames.ArchiveName(Database, createdUtc, headMigration, 1, BackupFileNames.PgBackRestExtension),
            Database: Database,
            ServerVersion: after.GetProperty("db").EnumerateArray().LastOrDefault() is { ValueKind: JsonValueKind.Object } db ? db.GetProperty("version").GetString() ?? "" : "",
            HeadMigration: string.IsNullOrEmpty(headMigration) ? null : headMigration,
            SizeBytes: 0,
            Sha256: LabelHash(label),
            ToolVersion: _toolVersion,
            CreatedUtc: createdUtc,
            Format: BackupStrategies.PgBackRestFormat,
            PgBackRest: info);
        try
        {
            return BackupManifestSerializer.WriteRecord(
                fullFolder, manifest, sequence => BackupFileNames.ArchiveName(Database, createdUtc, headMigration, sequence, BackupFileNames.PgBackRestExtension));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"pgBackRest backup {label} of stanza '{_stanza}' was made and verified, but its record could not be written into '{fullFolder}': {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Checks a pgBackRest backup's record and the backup itself: the sidecar's <c>sha256</c> is that of the label, the label
    /// is still in <c>pgbackrest info</c> (retention may have expired it), and <c>pgbackrest verify --set=LABEL</c> passes.
    /// </summary>
    /// <exception cref="BackupException">The record was changed, the backup is gone, or verify fails.</exception>
    public Task VerifyAsync(BackupEntry backup) => VerifyBackupAsync(backup, _program);

    /// <summary>
    /// <see cref="VerifyAsync"/> without a provider (<c>backup verify</c> has no connection): pgBackRest is run with the stanza
    /// and configuration the record names.
    /// </summary>
    /// <exception cref="BackupException">The record was changed, the backup is gone, or verify fails.</exception>
    /// <param name="backup">The record.</param>
    /// <param name="program">The pgBackRest program; null: <see cref="ProgramVariable"/>, else <c>pgbackrest</c> on PATH.</param>
    public static async Task VerifyBackupAsync(BackupEntry backup, string? program = null)
    {
        var info = Check(backup);
        var runner = new PgBackRestProvider(info.Stanza, info.ConfigPath, program ?? ProgramPath);
        var listed = await runner.InfoAsync(info.Label, CancellationToken.None).ConfigureAwait(false);
        if (!listed.GetProperty("backup").EnumerateArray().Any(b => b.GetProperty("label").GetString() == info.Label))
        {
            throw new BackupException($"pgBackRest backup {info.Label} of stanza '{info.Stanza}' ({backup.ManifestPath}) is no longer in the repository (expired by retention?).");
        }
        var verify = await runner.RunAsync(["verify", "--set=" + info.Label], CancellationToken.None).ConfigureAwait(false);
        if (!verify.Succeeded)
        {
            throw new BackupException($"pgbackrest verify of backup {info.Label} (stanza '{info.Stanza}') failed (exit code {verify.ExitCode}): {verify.ErrorSummary}");
        }
    }

    /// <summary>A provider that only runs pgBackRest (no database): for <see cref="VerifyBackupAsync"/>.</summary>
    private PgBackRestProvider(string stanza, string? configPath, string program)
    {
        _program = program;
        _connection = null;
        _toolVersion = "";
        _stanza = stanza;
        _configPath = configPath;
        _tools = new PgTools(binFolder: null);
        _time = TimeProvider.System;
    }

    /// <summary>Never restores: throws with the <c>pgbackrest restore</c> command (<see cref="RestoreCommand"/>).</summary>
    /// <exception cref="BackupException">Always; nothing was changed.</exception>
    public Task RestoreAsync(BackupEntry backup, string? intoDatabase, CancellationToken cancellationToken = default)
        => throw new BackupException(RestoreCommand(backup));

    /// <summary>Never restores: throws with the <c>pgbackrest restore</c> command (<see cref="RestoreCommand"/>).</summary>
    /// <exception cref="BackupException">Always; nothing was changed.</exception>
    public Task<RestoreOverResult> ReplaceAsync(BackupEntry backup, RestoreOverOptions options)
        => throw new BackupException(RestoreCommand(backup));

    /// <summary>Checks a pgBackRest backup's record without pgBackRest: the format, the backup present, the <c>sha256</c> of its label.</summary>
    /// <returns>The recorded backup.</returns>
    /// <exception cref="BackupException">The record is not a pgBackRest backup or was changed.</exception>
    public static PgBackRestBackupInfo Check(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        if (backup.Manifest is not { Format: BackupStrategies.PgBackRestFormat, PgBackRest: { } info })
        {
            throw new BackupException($"'{backup.ManifestPath}' is not a pgBackRest backup record.");
        }
        if (!string.Equals(LabelHash(info.Label), backup.Manifest.Sha256, StringComparison.Ordinal))
        {
            throw new BackupException($"The pgBackRest backup record '{backup.ManifestPath}' was changed: its sha256 is not that of the label '{info.Label}'.");
        }
        return info;
    }

    /// <summary>
    /// What restoring a pgBackRest backup takes, for the DBA: stop the server, then on its machine
    /// <c>pgbackrest --stanza=S [--config=C] restore --delta --set=LABEL --type=immediate --target-action=promote</c> (recovery
    /// ends as soon as the backup is consistent, at its stop LSN), start the server. It replaces the whole cluster.
    /// </summary>
    /// <exception cref="ArgumentException">The backup is not a pgBackRest backup.</exception>
    public static string RestoreCommand(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var info = backup.Manifest.PgBackRest ?? throw new ArgumentException($"'{backup.ManifestPath}' is not a pgBackRest backup.", nameof(backup));
        var config = info.ConfigPath is null ? "" : $" --config={info.ConfigPath}";
        return string.Join(Environment.NewLine,
        [
            $"'{backup.Path}' is a pgBackRest backup, not a dump: {info.Type} backup {info.Label} of stanza '{info.Stanza}' (LSN {info.LsnStart} to {info.LsnStop}, " +
            $"{info.DatabaseBytes.ToString(CultureInfo.InvariantCulture)} bytes), taken before the migrations after {backup.Manifest.HeadMigration ?? "no migration"} " +
            $"on database \"{backup.Manifest.Database}\". safe-migrate does not restore it: pgBackRest restores the whole cluster (every database on it, and " +
            "everything written since) into the server's data directory, on the server's machine, with the server stopped. Nothing was changed. The procedure for the DBA:",
            "  1. Stop the PostgreSQL server.",
            $"  2. On its machine: pgbackrest{config} --stanza={info.Stanza} restore --delta --set={info.Label} --type=immediate --target-action=promote",
            "  3. Start the server; it recovers to the end of that backup and promotes. Then check: dotnet safe-migrate status",
            $"  To recover only \"{backup.Manifest.Database}\": restore into a scratch data directory (--pg1-path=...), start it on another port, pg_dump the database from it and pg_restore it here.",
        ]);
    }

    /// <summary>The <c>sha256</c> recorded for a pgBackRest backup: SHA-256 of its label's UTF-8 bytes, lower-case hex.</summary>
    public static string LabelHash(string label) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(label)));

    private static JsonElement? Newest(JsonElement stanza)
        => stanza.GetProperty("backup").EnumerateArray().LastOrDefault() is { ValueKind: JsonValueKind.Object } last ? last : null;

    private async Task<JsonElement> InfoAsync(string? label, CancellationToken cancellationToken)
    {
        List<string> arguments = ["info", "--output=json"];
        if (label is not null)
        {
            arguments.Add("--set=" + label);
        }
        var result = await RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new BackupException($"pgbackrest info of stanza '{_stanza}' failed (exit code {result.ExitCode}): {result.ErrorSummary}");
        }
        JsonElement stanza;
        try
        {
            using var document = JsonDocument.Parse(result.StandardOutput);
            var found = document.RootElement.EnumerateArray().FirstOrDefault(s => s.GetProperty("name").GetString() == _stanza);
            stanza = found.ValueKind == JsonValueKind.Object ? found.Clone() : default;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BackupException($"pgbackrest info of stanza '{_stanza}' printed no readable JSON: {ex.Message}", ex);
        }
        if (stanza.ValueKind != JsonValueKind.Object)
        {
            throw new BackupException($"pgBackRest does not know the stanza '{_stanza}'{(_configPath is null ? "" : $" (configuration {_configPath})")}. Create it with 'pgbackrest --stanza={_stanza} stanza-create', or fix --pgbackrest-stanza / --pgbackrest-config.");
        }
        var status = stanza.GetProperty("status");
        var code = status.GetProperty("code").GetInt32();
        if (code is not (0 or 2)) // 0 ok, 2 no valid backups (the first backup is then full)
        {
            throw new BackupException($"pgBackRest stanza '{_stanza}' is not usable: {status.GetProperty("message").GetString()} (status {code}). Check it with 'pgbackrest --stanza={_stanza} check'.");
        }
        return stanza;
    }

    private async Task<PgProcessResult> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        List<string> arguments = ["--stanza=" + _stanza, "--log-level-console=error"];
        if (_configPath is not null)
        {
            arguments.Add("--config=" + _configPath);
        }
        arguments.AddRange(command);
        try
        {
            return await _tools.RunAsync(_program, arguments, null, cancellationToken).ConfigureAwait(false);
        }
        catch (BackupException ex)
        {
            throw new BackupException(
                $"pgbackrest could not be run ({ex.Message}). The pgbackrest strategy needs pgBackRest on PATH (Debian/Ubuntu: apt-get install pgbackrest) or in {ProgramVariable}, " +
                "or choose another strategy: --backup-strategy pgdump.", ex);
        }
    }
}
