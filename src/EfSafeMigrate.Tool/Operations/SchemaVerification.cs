using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Schema;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Hosting;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>verify</c> (and <c>check --schema</c>): the schema the code says the database should have is built by applying the
/// database's applied migrations, in the order of its history, one by one to an empty throwaway database
/// (<c>&lt;db&gt;_verify_&lt;utc&gt;</c> on the same server, dropped afterwards; <see cref="MigratedSchema"/>), and its catalog is
/// compared with the live one (<see cref="SchemaDriftReport.Detect"/>): tables, columns (type, nullability, default, length),
/// indexes, keys, foreign keys, check constraints, sequences — and, listed apart, views, functions and triggers.
/// </summary>
internal static class SchemaVerification
{
    /// <summary>Verifies the session's database.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="contextName">The <c>--context</c> option, to create the same DbContext on the throwaway database.</param>
    /// <param name="migrations">The migrations to build the expected schema from, oldest first; null: the database's applied ones that the code has.</param>
    /// <returns>The drift report and the schema of the migrations.</returns>
    /// <exception cref="CommandException">The throwaway database cannot be created, or a migration fails on it (exit 1).</exception>
    public static (SchemaDriftReport Report, MigratedSchema Expected) Run(ProjectSession session, string? contextName, IReadOnlyList<string>? migrations = null)
    {
        var applied = session.Migrator.GetAppliedMigrations();
        var code = session.Migrator.AllMigrations.ToHashSet(StringComparer.Ordinal);
        var unknown = applied.Where(id => !code.Contains(id)).ToList();
        var ids = migrations ?? applied.Where(code.Contains).ToList();
        var expected = Build(session, contextName, "verify", ids);
        var ignored = BookkeepingTables.For(session.Context);
        var live = new NpgsqlScratchDatabaseServer(ConnectionString(session)).ReadCatalog(ConnectionString(session), ignored);
        return (SchemaDriftReport.Detect(expected, live, unknown), expected);
    }

    /// <summary>Builds the schema of <paramref name="ids"/> on a throwaway database named after the session's database and <paramref name="tag"/>.</summary>
    /// <exception cref="CommandException">The throwaway database cannot be created, or a migration fails on it (exit 1).</exception>
    public static MigratedSchema Build(ProjectSession session, string? contextName, string tag, IReadOnlyList<string> ids)
    {
        var connectionString = ConnectionString(session);
        var server = new NpgsqlScratchDatabaseServer(connectionString);
        session.Reporter.Detail($"Building the schema of {ids.Count} migration(s) on a throwaway database on {server.Describe()} (dropped afterwards).");
        try
        {
            return MigratedSchema.Build(server, cs => session.Design.CreateContext(contextName, cs), session.Database.Connection.Database, tag,
                ids, BookkeepingTables.For(session.Context));
        }
        catch (Exception ex) when (ex is not CommandException)
        {
            throw new CommandException(ExitCodes.ProblemsFound,
                $"Could not build the schema the migrations give on a throwaway database on {server.Describe()}: {Innermost(ex)}. " +
                "The user needs the CREATEDB privilege there, and every applied migration must run on an empty database; nothing was changed.", ex);
        }
    }

    /// <summary>The session's connection string (contains the password: never print it).</summary>
    public static string ConnectionString(ProjectSession session) => session.Context.Database.GetConnectionString()!;

    private static string Innermost(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Trim();
    }
}
