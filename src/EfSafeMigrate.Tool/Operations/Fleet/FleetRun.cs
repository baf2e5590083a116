using System.Diagnostics;
using System.Reflection;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// <c>apply --fleet</c>: migrates many databases of one application from one process. The application is loaded once
/// (one design host, one DbContext type); each database gets its own DbContext — built with the first context's
/// options when the context has a constructor taking them (so EF Core reuses one internal service provider and one
/// model for all, its rule for options that differ only in the connection string), else created as <c>dotnet ef</c>
/// creates it — and runs the single-database apply path (<see cref="MigrationRun.RunAsync"/>: its own advisory lock,
/// backup, journal rows, lint and validation) in a task of its own, as <see cref="FleetScheduler"/> orders them. The
/// migrations' checksums are read once. Each database's pool is cleared when it is done, so a fleet of thousands
/// never holds more than <c>--parallel</c> databases' connections.
/// </summary>
internal sealed class FleetRun
{
    /// <summary>Connections one database's run may hold at once: the migration, the lock-timeout watch, pg_dump.</summary>
    public const int ConnectionsPerDatabase = 3;

    private readonly ProjectSession _session;
    private readonly string? _contextName;
    private readonly ConstructorInfo? _optionsConstructor;
    private readonly IDbContextOptions _options;

    /// <summary>Creates a run for the project of <paramref name="session"/>.</summary>
    /// <param name="session">The project's session (its context is on the application's or <c>--connection</c>'s database, which names refer to).</param>
    /// <param name="contextName">The <c>--context</c> option, for contexts that must be created as <c>dotnet ef</c> creates them.</param>
    public FleetRun(ProjectSession session, string? contextName)
    {
        _session = session;
        _contextName = contextName;
        _options = session.Context.GetService<IDbContextOptions>();
        var type = session.Context.GetType();
        _optionsConstructor = type.GetConstructors()
            .FirstOrDefault(c => c.GetParameters() is [{ } only] && only.ParameterType.IsInstanceOfType(_options));
    }

    /// <summary>
    /// Migrates <paramref name="databases"/> and returns their outcomes. Never throws for one database's failure: it
    /// is in its result with the message a single-database <c>apply</c> would print.
    /// </summary>
    /// <param name="databases">The shard's databases, in the list's order.</param>
    /// <param name="source">How messages name the list (its path, or <c>standard input</c>).</param>
    /// <param name="scheduler">Order, parallelism, canaries and failure handling.</param>
    /// <param name="presenter">Progress.</param>
    /// <param name="applyOne">The single-database apply (validation, lint, <see cref="MigrationRun.RunAsync"/>) with the progress observer to use.</param>
    public async Task<FleetOutcome> RunAsync(IReadOnlyList<FleetEntry> databases, string source, FleetScheduler scheduler, FleetPresenter presenter,
        Func<ProjectSession, IPlanRunObserver, Task<(PlanRunResult Result, string? Current)>> applyOne)
    {
        var server = _session.Context.Database.GetConnectionString();
        // From here a SIGINT/SIGTERM stops each running database at a safe point and starts no further one.
        using var protect = Interruption.Protect();
        return await scheduler.RunAsync(databases, entry => RunOneAsync(entry, server, source, presenter, applyOne), Interruption.Token);
    }

    /// <summary>
    /// The default of <c>--parallel</c>: the machine's cores (at least 2, at most 8), fewer when the server has fewer
    /// free connections than <see cref="ConnectionsPerDatabase"/> for each (<c>max_connections</c> less
    /// <c>superuser_reserved_connections</c> less the sessions in <c>pg_stat_activity</c>); the cores alone when the
    /// server cannot be asked.
    /// </summary>
    /// <param name="connectionString">A connection string of a database on the server (the first of the fleet).</param>
    public static int DefaultParallel(string? connectionString)
    {
        var cores = Math.Clamp(Environment.ProcessorCount, 2, 8);
        if (string.IsNullOrEmpty(connectionString))
        {
            return cores;
        }

        // The first database may not exist yet (the fleet creates it): then ask the server's maintenance database.
        foreach (var database in new string?[] { null, "postgres" })
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 10 };
                if (database is not null)
                {
                    builder.Database = database;
                }

                using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Open();
                using var command = new NpgsqlCommand(
                    "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - (SELECT count(*)::int FROM pg_stat_activity)", connection);
                var free = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                return Math.Max(1, Math.Min(cores, free / ConnectionsPerDatabase));
            }
            catch (PostgresException ex) when (ex.SqlState == "3D000" && database is null)
            {
                // invalid_catalog_name: try the maintenance database.
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
            {
                return cores;
            }
        }

        return cores;
    }

    private async Task<FleetDatabaseResult> RunOneAsync(FleetEntry entry, string? server, string source, FleetPresenter presenter,
        Func<ProjectSession, IPlanRunObserver, Task<(PlanRunResult Result, string? Current)>> applyOne)
    {
        var watch = Stopwatch.StartNew();
        var observer = presenter.Started(entry);
        ProjectSession? tenant = null;
        string? before = null;
        FleetDatabaseResult result;
        try
        {
            var connectionString = entry.ConnectionStringOn(server, source);
            tenant = _session.WithContext(CreateContext(connectionString));
            var describe = tenant.Database.Describe();
            observer.Describe(describe);
            before = tenant.CurrentMigration();
            var (run, current) = await applyOne(tenant, observer);
            result = new FleetDatabaseResult(entry, run.Plan.IsEmpty ? FleetDatabaseStatus.UpToDate : FleetDatabaseStatus.Migrated,
                before, current, run.Completed.Count, watch.Elapsed, run.Backup?.Path, ExitCodes.Success, null);
        }
        catch (Exception ex)
        {
            var (code, message) = ErrorHandler.Classify(ex, tenant?.DatabaseDescription);
            result = new FleetDatabaseResult(entry, FleetDatabaseStatus.Failed, before, CurrentOrNull(tenant), 0, watch.Elapsed, BackupOf(ex)?.Path, code, message);
        }
        finally
        {
            if (tenant is not null)
            {
                ClearPool(tenant.Context);
                tenant.Dispose();
            }
        }

        presenter.Finished(result);
        return result;
    }

    private DbContext CreateContext(string connectionString)
    {
        if (_optionsConstructor is null)
        {
            return _session.Design.CreateContext(_contextName, connectionString);
        }

        var context = (DbContext)_optionsConstructor.Invoke([_options]);
        context.Database.SetConnectionString(connectionString);
        return context;
    }

    private static string? CurrentOrNull(ProjectSession? tenant)
    {
        try
        {
            return tenant?.CurrentMigration();
        }
        catch (Exception)
        {
            return null; // unreachable: the error says why
        }
    }

    private static BackupEntry? BackupOf(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PlanStepFailedException failed:
                    return failed.Backup;
                case PlanInterruptedException interrupted:
                    return interrupted.Backup;
            }
        }

        return null;
    }

    private static void ClearPool(DbContext context)
    {
        try
        {
            if (context.Database.GetDbConnection() is NpgsqlConnection connection)
            {
                NpgsqlConnection.ClearPool(connection);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            // Nothing to clear.
        }
    }
}
