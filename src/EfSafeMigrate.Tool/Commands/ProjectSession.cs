using EfSafeMigrate.Execution;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// An opened project in the inner process: the application's DbContext (created like
/// <c>dotnet ef</c> creates it), its migrator and its database's services. One per command run;
/// disposing it disposes the context.
/// </summary>
public sealed class ProjectSession : IDisposable
{
    private ProjectSession(DbContext context, DatabaseServices database, Reporter reporter, string projectDir)
    {
        Context = context;
        Database = database;
        Reporter = reporter;
        ProjectDir = projectDir;
        Migrator = new SafeMigrator(context);
    }

    /// <summary>The application's DbContext.</summary>
    public DbContext Context { get; }

    /// <summary>Full name of the DbContext type.</summary>
    public string ContextName => Context.GetType().FullName!;

    /// <summary>The migrator of the context.</summary>
    public SafeMigrator Migrator { get; }

    /// <summary>Backups, lock and schema inspection for the context's database.</summary>
    public DatabaseServices Database { get; }

    /// <summary>Output.</summary>
    public Reporter Reporter { get; }

    /// <summary>Folder of the migrations project.</summary>
    public string ProjectDir { get; }

    /// <summary>Opens the project described by the outer process.</summary>
    /// <exception cref="CommandException">The context cannot be created or is not supported (exit code 2).</exception>
    public static ProjectSession Open(InnerHostArguments host, ProjectOptions options, Reporter reporter)
    {
        var context = DbContextLoader.Create(host, options.Context.Value(), options.Connection.Value(), reporter);
        try
        {
            var database = DatabaseServices.For(context);
            ErrorHandler.DatabaseDescription = database.Describe();
            reporter.Detail($"Using DbContext '{context.GetType().FullName}' on {database.Describe()}.");
            return new ProjectSession(context, database, reporter, host.ProjectDir);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>The newest applied migration, or null when none is.</summary>
    public string? CurrentMigration()
    {
        var applied = Migrator.GetAppliedMigrations();
        return applied.Count == 0 ? null : applied[^1];
    }

    /// <inheritdoc />
    public void Dispose() => Context.Dispose();
}
