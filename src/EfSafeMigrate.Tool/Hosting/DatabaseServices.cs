using EfSafeMigrate.Backups;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Locking;
using EfSafeMigrate.Npgsql.Journal;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Npgsql.Locking;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Schema;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// The provider-specific services for a context's database: backups, the migration lock and
/// schema inspection. PostgreSQL (Npgsql) is the provider supported so far.
/// </summary>
internal sealed class DatabaseServices
{
    /// <summary>The EF Core provider name of Npgsql.</summary>
    public const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private readonly DbContext _context;
    private readonly string _connectionString;

    private DatabaseServices(DbContext context, string connectionString)
    {
        _context = context;
        _connectionString = connectionString;
        Connection = new PgConnectionInfo(connectionString);
    }

    /// <summary>The connection's parts (never shown with its password).</summary>
    public PgConnectionInfo Connection { get; }

    /// <summary>The database, for messages: <c>database "shop" on 127.0.0.1:5432 as user "postgres"</c>.</summary>
    public string Describe() => Connection.Describe();

    /// <summary>Services for the context's provider and connection string.</summary>
    /// <exception cref="CommandException">Not PostgreSQL, or no connection string (exit code 2).</exception>
    public static DatabaseServices For(DbContext context)
    {
        if (context.Database.ProviderName != NpgsqlProvider)
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The DbContext '{context.GetType().Name}' uses the provider '{context.Database.ProviderName}'. safe-migrate supports PostgreSQL (Npgsql.EntityFrameworkCore.PostgreSQL) so far.");
        }

        var connectionString = context.Database.GetConnectionString();
        if (string.IsNullOrEmpty(connectionString))
        {
            throw new CommandException(ExitCodes.UsageError,
                $"The DbContext '{context.GetType().Name}' has no connection string. Configure one in the application (design-time factory or host) or pass --connection.");
        }

        // Name the session, so that a run waiting for the migration lock can say who holds it.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = $"dotnet-safe-migrate {ToolInfo.Version} (pid {Environment.ProcessId})";
            connectionString = builder.ConnectionString;
            context.Database.SetConnectionString(connectionString);
        }

        return new DatabaseServices(context, connectionString);
    }

    /// <summary>A pg_dump/pg_restore backup provider for the database.</summary>
    /// <param name="lockWaitTimeout">How long pg_dump waits for a table lock (<c>--lock-wait-timeout</c>); <c>null</c> waits without limit.</param>
    /// <param name="restoreJobs">Parallel jobs of pg_restore (<c>--jobs</c>); null or 1: one.</param>
    public IBackupProvider CreateBackupProvider(TimeSpan? lockWaitTimeout = null, int? restoreJobs = null) =>
        new PgDumpBackupProvider(_connectionString, ToolInfo.Version) { LockWaitTimeout = lockWaitTimeout, RestoreJobs = restoreJobs };

    /// <summary>
    /// The backup provider of a strategy (<see cref="BackupStrategies"/>): <c>pgdump</c> and <c>pgdump-parallel</c> (with
    /// <paramref name="jobs"/> pg_dump jobs, directory format) are <see cref="PgDumpBackupProvider"/>s, <c>restore-point</c> a
    /// <see cref="PgRestorePointProvider"/>, <c>pgbackrest</c> a <see cref="PgBackRestProvider"/>.
    /// </summary>
    /// <param name="strategy">The strategy's name, already checked.</param>
    /// <param name="jobs">pg_dump's and pg_restore's parallel jobs for <c>pgdump-parallel</c>.</param>
    /// <param name="lockWaitTimeout">How long pg_dump waits for a table lock; <c>null</c> waits without limit.</param>
    /// <param name="pgBackRestStanza">For <c>pgbackrest</c>: the stanza (required then).</param>
    /// <param name="pgBackRestConfig">For <c>pgbackrest</c>: pgBackRest's configuration file, or null for its default.</param>
    /// <exception cref="ArgumentException">An unknown strategy, or <c>pgbackrest</c> without a stanza.</exception>
    public IBackupProvider CreateBackupProvider(string strategy, int jobs, TimeSpan? lockWaitTimeout, string? pgBackRestStanza = null, string? pgBackRestConfig = null) => strategy switch
    {
        BackupStrategies.PgBackRest => new PgBackRestProvider(_connectionString, ToolInfo.Version, pgBackRestStanza!, pgBackRestConfig),
        BackupStrategies.PgDump => CreateBackupProvider(lockWaitTimeout),
        BackupStrategies.PgDumpParallel => new PgDumpBackupProvider(_connectionString, ToolInfo.Version) { LockWaitTimeout = lockWaitTimeout, ParallelJobs = jobs, RestoreJobs = jobs },
        BackupStrategies.RestorePoint => new PgRestorePointProvider(_connectionString, ToolInfo.Version),
        _ => throw new ArgumentException($"Unknown backup strategy '{strategy}'.", nameof(strategy)),
    };

    /// <summary>How the journal table's existence is checked on this provider.</summary>
    public IJournalTableProbe CreateJournalProbe() => new NpgsqlJournalTableProbe();

    /// <summary>The advisory lock on the context's own connection.</summary>
    public IMigrationLock CreateLock() => new PgAdvisoryLock((NpgsqlConnection)_context.Database.GetDbConnection());

    /// <summary>The lock timeout and blocker watch of the context's own connection (the migrating one).</summary>
    public ILockContention CreateLockContention() => new PgLockContention((NpgsqlConnection)_context.Database.GetDbConnection(), _connectionString);

    /// <summary>A schema inspector on the context's own connection (which must be open).</summary>
    public ISchemaInspector CreateSchemaInspector() => new NpgsqlSchemaInspector((NpgsqlConnection)_context.Database.GetDbConnection());

    /// <summary>
    /// Runs a read of the shared catalogs (<c>pg_database</c>, <c>pg_stat_activity</c>) on the context's own connection,
    /// pooled as the application's connection string has it, which the command uses next anyway: a session of the read's
    /// own would cost the server a new backend on every command. Opens the connection for the read (EF Core keeps it open
    /// when the caller had opened it) and closes it after. When the database is missing (<c>3D000</c>), does not take
    /// connections (<c>55000</c>) or refuses this user (<c>42501</c>), or the context is not PostgreSQL's, runs
    /// <paramref name="elsewhere"/> instead, which connects to the maintenance database.
    /// </summary>
    /// <typeparam name="T">What the read returns.</typeparam>
    /// <param name="context">The command's context.</param>
    /// <param name="read">The read, on the open connection.</param>
    /// <param name="elsewhere">The same read from a connection of its own.</param>
    /// <exception cref="NpgsqlException">The server could not be reached, or the read failed.</exception>
    public static T ReadSharedCatalogs<T>(DbContext context, Func<NpgsqlConnection, T> read, Func<T> elsewhere)
    {
        var database = context.Database;
        if (database.GetDbConnection() is not NpgsqlConnection connection)
        {
            return elsewhere();
        }

        try
        {
            database.OpenConnection();
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.InsufficientPrivilege)
        {
            return elsewhere();
        }

        try
        {
            return read(connection);
        }
        finally
        {
            database.CloseConnection();
        }
    }

    /// <summary>True for errors that mean the database could not be reached or logged into (wrong password, unknown host, refused).</summary>
    public static bool IsConnectionError(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg.SqlState.StartsWith("28", StringComparison.Ordinal) || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState == "3D000";
            }

            if (e is NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException })
            {
                return true;
            }
        }

        return false;
    }
}
