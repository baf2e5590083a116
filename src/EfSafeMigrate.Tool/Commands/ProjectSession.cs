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
internal sealed class ProjectSession : IDisposable
{
    private readonly Lazy<DatabaseServices> _database;

    private ProjectSession(DesignHost design, DbContext context, Reporter reporter, string projectDir)
    {
        Design = design;
        Context = context;
        Reporter = reporter;
        ProjectDir = projectDir;
        Migrator = new SafeMigrator(context);
        _database = new Lazy<DatabaseServices>(() =>
        {
            var database = DatabaseServices.For(context);
            DatabaseDescription = database.Describe();
            reporter.Detail($"Using DbContext '{context.GetType().FullName}' on {database.Describe()}.");
            return database;
        });
    }

    /// <summary>The application's assemblies and EF Core Design's services for them (the one design host of the run).</summary>
    public DesignHost Design { get; }

    /// <summary>The application's DbContext.</summary>
    public DbContext Context { get; }

    /// <summary>Full name of the DbContext type.</summary>
    public string ContextName => Context.GetType().FullName!;

    /// <summary>The migrator of the context.</summary>
    public SafeMigrator Migrator { get; }

    /// <summary>
    /// Backups, lock and schema inspection for the context's database; created on first use, so
    /// that commands which never touch the database (<c>add</c>, <c>script</c>) work without a
    /// connection string.
    /// </summary>
    /// <exception cref="CommandException">The provider is not supported or there is no connection string (exit code 2).</exception>
    public DatabaseServices Database => _database.Value;

    /// <summary>The database as <see cref="DatabaseServices.Describe"/> names it (never a password), once <see cref="Database"/> was created; null before or when it cannot be.</summary>
    public string? DatabaseDescription { get; private set; }

    /// <summary>Output.</summary>
    public Reporter Reporter { get; }

    /// <summary>Folder of the migrations project.</summary>
    public string ProjectDir { get; }

    /// <summary>Opens the project described by the outer process.</summary>
    /// <exception cref="CommandException">The context cannot be created or is not supported (exit code 2).</exception>
    public static ProjectSession Open(InnerHostArguments host, ProjectOptions options, Reporter reporter)
    {
        var design = new DesignHost(host, reporter);
        var context = design.CreateContext(options.Context.Value(), options.Connection.Value());
        var session = new ProjectSession(design, context, reporter, host.ProjectDir);
        try
        {
            _ = session.Database; // so that connection errors can name the database
        }
        catch (CommandException)
        {
            // Not PostgreSQL or no connection string: only commands that use the database fail (Lazy keeps the error).
        }

        return session;
    }

    /// <summary>
    /// A session on another database of the same project, sharing this session's design host (the application's
    /// assemblies, loaded once): one per database of <c>apply --fleet</c>. Disposing it disposes <paramref name="context"/>.
    /// </summary>
    /// <param name="context">A context of the same type, on the other database (see <see cref="DesignHost.CreateContext"/>).</param>
    public ProjectSession WithContext(DbContext context) => new(Design, context, Reporter, ProjectDir);

    /// <summary>The newest applied migration, or null when none is.</summary>
    public string? CurrentMigration()
    {
        var applied = Migrator.GetAppliedMigrations();
        return applied.Count == 0 ? null : applied[^1];
    }

    /// <inheritdoc />
    public void Dispose() => Context.Dispose();
}
