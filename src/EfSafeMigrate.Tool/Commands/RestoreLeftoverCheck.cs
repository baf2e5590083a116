using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// Makes what an interrupted restore left visible (see <see cref="PgRestoreLeftovers"/>): <c>status</c>, <c>apply</c> and
/// <c>backup list</c> name each <c>&lt;db&gt;_restore_...</c> / <c>&lt;db&gt;_old_...</c> database and the command that
/// finishes or undoes the restore; when the database itself is missing but such a leftover exists (possible only after an
/// older version's restore was killed), the command stops with exit 1 instead of reporting "0 applied" or applying
/// everything to a new, empty database.
/// </summary>
internal static class RestoreLeftoverCheck
{
    /// <summary>The command that removes leftovers (and puts a missing database back).</summary>
    public const string CleanupCommand = "dotnet safe-migrate backup cleanup";

    /// <summary>Warns about leftovers of the session's database; stops when the database is missing and leftovers exist.</summary>
    /// <exception cref="CommandException">The database is missing and a restore left copies of it (exit 1).</exception>
    public static void Check(ProjectSession session)
    {
        var connectionString = session.Context.Database.GetConnectionString();
        if (string.IsNullOrEmpty(connectionString))
        {
            return; // the command reports the missing connection string itself
        }

        var scan = TryScan(session.Reporter, () => Scan(session.Context, connectionString));
        if (scan is null || scan.IsClean)
        {
            return;
        }

        var lines = PgRestoreLeftovers.Describe(scan, CleanupCommand);
        if (!scan.DatabaseExists)
        {
            throw new CommandException(ExitCodes.ProblemsFound, string.Join(Environment.NewLine, lines));
        }

        foreach (var line in lines)
        {
            session.Reporter.Warning(line);
        }
    }

    /// <summary>
    /// For <c>backup list</c>, which does not load the project: with <c>--connection</c>, warns about leftovers of its
    /// database and of every database that has backups in the folder, on that server. Without it, does nothing.
    /// </summary>
    public static void WarnForBackupList(Reporter reporter, string? connection, IEnumerable<string> databasesWithBackups)
    {
        if (string.IsNullOrEmpty(connection))
        {
            return;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connection);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            reporter.Detail("--connection is not a valid connection string; leftovers of restores are not looked for.");
            return;
        }

        var databases = databasesWithBackups.Prepend(builder.Database ?? "").Where(d => d.Length > 0).Distinct(StringComparer.Ordinal);
        foreach (var database in databases)
        {
            var scan = TryScan(reporter, () => new PgRestoreLeftovers(new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString).FindAsync().GetAwaiter().GetResult());
            if (scan is null || scan.Leftovers.Count == 0)
            {
                continue;
            }

            foreach (var line in PgRestoreLeftovers.Describe(scan, CleanupCommand))
            {
                reporter.Warning(line);
            }
        }
    }

    /// <summary>
    /// Scans on the context's own connection (<see cref="DatabaseServices.ReadSharedCatalogs"/>): an unpooled session of
    /// the scan's own cost the server a new backend on every <c>status</c>, <c>apply</c> and <c>rehearse</c>.
    /// </summary>
    private static RestoreLeftoverScan Scan(DbContext context, string connectionString)
    {
        var leftovers = new PgRestoreLeftovers(connectionString);
        return DatabaseServices.ReadSharedCatalogs(context,
            connection => leftovers.FindAsync(connection).GetAwaiter().GetResult(),
            () => leftovers.FindOnMaintenanceDatabaseAsync().GetAwaiter().GetResult());
    }

    private static RestoreLeftoverScan? TryScan(Reporter reporter, Func<RestoreLeftoverScan> scan)
    {
        try
        {
            return scan();
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException or InvalidOperationException)
        {
            reporter.Detail($"Could not look for databases left by an interrupted restore: {ex.Message}");
            return null;
        }
    }
}
