using System.Diagnostics;
using Npgsql;

namespace EfSafeMigrate.Testing;

/// <summary>
/// The PostgreSQL server the tests of this process use; one per process, started at most once.
/// </summary>
/// <remarks>
/// With the environment variable <c>SAFE_MIGRATE_TEST_CONNECTION</c> set (an Npgsql connection string of a
/// user that may create databases), that server is used. Otherwise the repository's throwaway cluster
/// <c>&lt;repo&gt;/.tmp/test-postgres</c> is started with <c>tools/throwaway-postgres.sh start</c> (which creates
/// it the first time, and only reports the connection string when it already runs), so test assemblies run
/// one after another, or at the same time, share one server. The script runs under a lock file
/// (<c>.tmp/test-postgres.lock</c>) so that concurrent test processes do not initialise the cluster twice.
/// The cluster is left running for the next run; <c>tools/throwaway-postgres.sh stop .tmp/test-postgres</c> stops it.
/// </remarks>
public sealed class PostgresServer
{
    /// <summary>Environment variable with the connection string of an existing server to test against.</summary>
    public const string ConnectionVariable = "SAFE_MIGRATE_TEST_CONNECTION";

    /// <summary>How long starting the throwaway cluster may take, in milliseconds (includes installing PostgreSQL when missing).</summary>
    public const int StartTimeoutMilliseconds = 300_000;

    private static readonly Lazy<PostgresServer> s_instance = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<PostgresServer> s_archiving = new(() => StartDedicated("test-postgres-archiving", "on"), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<PostgresServer> s_pgBackRest = new(() => StartDedicated("test-postgres-pgbackrest", "pgbackrest"), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<PostgresServer> s_failingArchiver = new(() => StartDedicated("test-postgres-failing-archiver", "fail"), LazyThreadSafetyMode.ExecutionAndPublication);

    private PostgresServer(string connectionString, string source)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        MaintenanceDatabase = string.IsNullOrEmpty(builder.Database) ? "postgres" : builder.Database;
        builder.Database = MaintenanceDatabase;
        builder.Pooling = false;
        builder.IncludeErrorDetail = true;
        ConnectionString = builder.ConnectionString;
        Source = source;
    }

    /// <summary>The server, started (or found) on first use.</summary>
    /// <exception cref="InvalidOperationException">The server could not be started or reached; the message says why.</exception>
    public static PostgresServer Instance => s_instance.Value;

    /// <summary>
    /// A second throwaway cluster of this repository (<c>.tmp/test-postgres-archiving</c>) that archives its WAL into
    /// <see cref="WalArchive"/> (<c>THROWAWAY_PG_ARCHIVE=on</c>), for the restore-point backup strategy; started on first use and
    /// left running like <see cref="Instance"/>. Always a throwaway cluster, never <c>SAFE_MIGRATE_TEST_CONNECTION</c>'s server
    /// (whose configuration the tests must not change). Tests must not break its archiver.
    /// </summary>
    public static PostgresServer Archiving => s_archiving.Value;

    /// <summary>
    /// A throwaway cluster (<c>.tmp/test-postgres-failing-archiver</c>) with <c>archive_mode = on</c> and an
    /// <c>archive_command</c> that always fails (<c>THROWAWAY_PG_ARCHIVE=fail</c>): a broken archiver.
    /// </summary>
    public static PostgresServer FailingArchiver => s_failingArchiver.Value;

    /// <summary>
    /// A throwaway cluster (<c>.tmp/test-postgres-pgbackrest</c>) that archives its WAL with pgBackRest into a repository of its
    /// own, stanza <c>main</c> (<c>THROWAWAY_PG_ARCHIVE=pgbackrest</c>; the script installs pgBackRest when missing); its
    /// configuration file is <see cref="PgBackRestConfig"/>.
    /// </summary>
    public static PostgresServer PgBackRest => s_pgBackRest.Value;

    /// <summary>For <see cref="PgBackRest"/>: a program that runs pgbackrest as the repository's owner (for <c>SAFE_MIGRATE_PGBACKREST</c>); null for the other servers.</summary>
    public string? PgBackRestProgram { get; private init; }

    /// <summary>
    /// Holds, until disposed, a lock between test processes for <see cref="PgBackRest"/>'s stanza: pgBackRest runs one backup of
    /// a stanza at a time and fails another at once, and the integration and end-to-end tests run side by side.
    /// </summary>
    public static IDisposable LockPgBackRestStanza()
        => AcquireLock(Path.Combine(RepositoryRoot.Path, ".tmp", "test-postgres-pgbackrest.stanza.lock"));

    /// <summary>For <see cref="PgBackRest"/>: pgBackRest's configuration file of the cluster; null for the other servers.</summary>
    public string? PgBackRestConfig { get; private init; }

    /// <summary>For <see cref="Archiving"/>: the folder its WAL is archived into; null for the other servers.</summary>
    public string? WalArchive { get; private init; }

    /// <summary>Connection string of the maintenance database (unpooled); contains the password.</summary>
    public string ConnectionString { get; }

    /// <summary>The database <see cref="ConnectionString"/> connects to (usually <c>postgres</c>).</summary>
    public string MaintenanceDatabase { get; }

    /// <summary>Where the server came from, for messages: the environment variable or the cluster folder.</summary>
    public string Source { get; }

    /// <summary>
    /// The connection string for <paramref name="database"/> on this server, same credentials. Pooling is off:
    /// the tests drop, replace and rename databases, which ends the sessions a pool would keep.
    /// </summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database, Pooling = false }.ConnectionString;

    /// <summary>Runs SQL on the maintenance database (e.g. CREATE ROLE), in a pooled session (<see cref="MaintenanceSessions"/>).</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await MaintenanceSessions.OpenAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether a database of that exact name exists.</summary>
    public async Task<bool> DatabaseExistsAsync(string name, CancellationToken cancellationToken = default) =>
        (await DatabasesLikeAsync(name, cancellationToken).ConfigureAwait(false)).Contains(name);

    /// <summary>Names of the databases whose name starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> DatabasesLikeAsync(string prefix, CancellationToken cancellationToken = default)
    {
        await using var connection = await MaintenanceSessions.OpenAsync(ConnectionString, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    /// <summary>Drops a database if it exists, ending its sessions (<c>DROP DATABASE ... WITH (FORCE)</c>, PostgreSQL 13+).</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)", cancellationToken);

    /// <summary>A quoted SQL identifier: <c>"a""b"</c> for <c>a"b</c>.</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static PostgresServer Start()
    {
        var given = Environment.GetEnvironmentVariable(ConnectionVariable);
        var server = string.IsNullOrWhiteSpace(given)
            ? StartThrowawayCluster()
            : new PostgresServer(given, $"${ConnectionVariable}");
        server.CheckReachable();
        return server;
    }

    private static PostgresServer StartDedicated(string name, string archive)
    {
        var server = StartThrowawayCluster(name, archive);
        server.CheckReachable();
        var link = Path.Combine(RepositoryRoot.Path, ".tmp", name, "wal-archive");
        var config = Path.Combine(RepositoryRoot.Path, ".tmp", name, "pgbackrest.conf");
        return new PostgresServer(server.ConnectionString, server.Source)
        {
            WalArchive = Directory.Exists(link) ? link : null,
            // The link's target, in the cluster's folder: pgbackrest runs as the server's user, who may not be able to
            // enter the repository's folder (a mktemp -d clone is mode 0700).
            PgBackRestConfig = File.Exists(config) ? new FileInfo(config).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? config : null,
            PgBackRestProgram = File.Exists(config) ? Path.Combine(RepositoryRoot.Path, ".tmp", name, "pgbackrest-as-owner") : null,
        };
    }

    private static PostgresServer StartThrowawayCluster() => StartThrowawayCluster("test-postgres", null);

    private static PostgresServer StartThrowawayCluster(string name, string? archive)
    {
        var root = RepositoryRoot.Path;
        var script = Path.Combine(root, "tools", "throwaway-postgres.sh");
        var tmp = Path.Combine(root, ".tmp");
        var clusterDir = Path.Combine(tmp, name);
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Cannot start the test PostgreSQL server: '{script}' does not exist.");
        }
        Directory.CreateDirectory(tmp);

        using var lockFile = AcquireLock(Path.Combine(tmp, name + ".lock"));
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Not the process's current folder: an in-process run of the tool may have made it a test's folder that is
            // deleted by the time the script's programs start there.
            WorkingDirectory = root,
        };
        if (archive is not null)
        {
            startInfo.Environment["THROWAWAY_PG_ARCHIVE"] = archive;
        }
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("start");
        startInfo.ArgumentList.Add(clusterDir);
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException("Cannot start the test PostgreSQL server: bash did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StartTimeoutMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The test PostgreSQL server did not start within {StartTimeoutMilliseconds / 1000} s ({script} start {clusterDir}).");
        }
        var output = stdout.GetAwaiter().GetResult();
        var errors = stderr.GetAwaiter().GetResult();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        if (process.ExitCode != 0 || string.IsNullOrEmpty(last) || !last.Contains("Host=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"'{script} start {clusterDir}' failed (exit code {process.ExitCode}): {errors.Trim()}");
        }
        return new PostgresServer(last, clusterDir);
    }

    /// <summary>An exclusive lock between processes (.NET takes an advisory lock for FileShare.None on Unix).</summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = Environment.TickCount64 + StartTimeoutMilliseconds;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    private void CheckReachable()
    {
        try
        {
            using var connection = new NpgsqlConnection(ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"The test PostgreSQL server ({Source}) cannot be reached: {ex.Message}", ex);
        }
    }
}
