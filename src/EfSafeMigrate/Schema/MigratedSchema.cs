using System.Globalization;
using System.Text;
using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Schema;

/// <summary>
/// The schema the code gives a database: the catalog after each of a list of migrations, applied one by one through EF Core's
/// migrator (<see cref="SafeMigrator.Execute"/>) on a throwaway database, and for each object the migration that last created
/// or changed it.
/// </summary>
/// <param name="Empty">The catalog of the empty scratch database, before any migration.</param>
/// <param name="After">The catalog after each migration, in the order given.</param>
/// <param name="MigrationIds">The migrations applied, in order.</param>
/// <param name="Origin">For each object of the final catalog (and each object some migration dropped), the last migration that created, changed or dropped it.</param>
internal sealed record MigratedSchema(SchemaCatalog Empty, IReadOnlyList<SchemaCatalog> After, IReadOnlyList<string> MigrationIds, IReadOnlyDictionary<string, string> Origin)
{
    /// <summary>The catalog after the last migration (the empty one when there is none).</summary>
    public SchemaCatalog Final => After.Count == 0 ? Empty : After[^1];

    /// <summary>The catalog before <paramref name="migrationId"/> ran.</summary>
    /// <exception cref="ArgumentException">The migration is not one of <see cref="MigrationIds"/>.</exception>
    public SchemaCatalog Before(string migrationId)
    {
        var index = IndexOf(migrationId);
        return index == 0 ? Empty : After[index - 1];
    }

    /// <summary>The catalog after <paramref name="migrationId"/> ran.</summary>
    /// <exception cref="ArgumentException">The migration is not one of <see cref="MigrationIds"/>.</exception>
    public SchemaCatalog AfterMigration(string migrationId) => After[IndexOf(migrationId)];

    /// <summary>What <paramref name="migrationId"/> changed: the objects it created, dropped or redefined (before on the left).</summary>
    public IReadOnlyList<CatalogDifference> ChangesOf(string migrationId) => SchemaCatalog.Compare(Before(migrationId), AfterMigration(migrationId));

    private int IndexOf(string migrationId)
    {
        var index = MigrationIds.ToList().IndexOf(migrationId);
        return index >= 0 ? index : throw new ArgumentException($"'{migrationId}' is not one of the migrations applied.", nameof(migrationId));
    }

    /// <summary>
    /// Applies <paramref name="migrationIds"/> one by one on a new database <c>&lt;db&gt;_&lt;tag&gt;_&lt;utc&gt;</c> on
    /// <paramref name="server"/> and reads the catalog after each; the database is dropped at the end, also on failure.
    /// </summary>
    /// <param name="server">Where the throwaway database is created.</param>
    /// <param name="contextFor">Creates the application's DbContext on a connection string; disposed here.</param>
    /// <param name="databaseName">The project's database name, which the throwaway database is named after.</param>
    /// <param name="tag">A word for the purpose, e.g. <c>verify</c>.</param>
    /// <param name="migrationIds">The migrations, in the order to apply them (each must be in the code).</param>
    /// <param name="ignoredTables">Bookkeeping tables (history, journal) left out of every catalog.</param>
    /// <exception cref="MigrationExecutionException">A migration failed on the empty database (the message names it).</exception>
    public static MigratedSchema Build(
        IScratchDatabaseServer server, Func<string, DbContext> contextFor, string databaseName, string tag,
        IReadOnlyList<string> migrationIds, IReadOnlyCollection<string> ignoredTables)
    {
        var name = ScratchName(databaseName, tag);
        var connection = server.Create(name);
        try
        {
            var after = new List<SchemaCatalog>();
            var origin = new Dictionary<string, string>(StringComparer.Ordinal);
            using var context = contextFor(connection);

            // One session for the whole build (SafeMigrator.InOneSession), whose catalog reads use it too.
            var migrator = SafeMigrator.InOneSession(context);
            var open = context.Database.GetDbConnection();
            var empty = server.ReadCatalog(open, ignoredTables);
            var previous = empty;
            foreach (var id in migrationIds)
            {
                migrator.Execute(new MigrationStep(MigrationAction.Apply, id));
                var catalog = server.ReadCatalog(open, ignoredTables);
                foreach (var difference in SchemaCatalog.Compare(previous, catalog))
                {
                    origin[difference.Object] = id;
                }

                after.Add(catalog);
                previous = catalog;
            }

            return new MigratedSchema(empty, after, migrationIds, origin);
        }
        finally
        {
            server.Drop(name);
        }
    }

    /// <summary>A throwaway database name: the database's name (cut to fit 63 bytes), <c>_</c>, the tag, <c>_</c> and the UTC time to the millisecond.</summary>
    public static string ScratchName(string database, string tag)
    {
        var suffix = $"_{tag}_{DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture)}";
        var name = database;
        while (name.Length > 0 && Encoding.UTF8.GetByteCount(name + suffix) > 63)
        {
            name = name[..^1];
        }

        return name + suffix;
    }
}
