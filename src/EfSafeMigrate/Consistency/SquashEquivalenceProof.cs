using System.Globalization;
using System.Text;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Schema;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// Proves that a squashed migration gives the schema its original migrations give, by running both
/// on throwaway databases and comparing their catalogs:
/// <list type="number">
/// <item>database <c>&lt;db&gt;_squashproof_&lt;utc&gt;_a</c> is created empty on the scratch server and gets the
/// migrations before the range, each through EF Core's migrator (<see cref="SafeMigrator.Execute"/>; a squashed
/// migration whose replaced migrations are still in the code is left out, its originals run);</item>
/// <item><c>..._b</c> is created as a copy of it (<c>TEMPLATE</c>), so both start from the same schema;</item>
/// <item><c>_a</c> gets the range's original migrations, each through EF Core's migrator; <c>_b</c> the
/// squashed migration: an existing one through EF Core's migrator, a planned one as its operations, whose SQL
/// EF Core's SQL generator produces with its target model and EF Core's command executor runs, as the migrator
/// would;</item>
/// <item>the two catalogs are compared (<see cref="IScratchDatabaseServer.ReadCatalog(string, IReadOnlyCollection{string})"/>: tables, columns with
/// types, nullability and defaults, indexes, constraints, sequences, views, types, functions, triggers; the
/// history and journal tables left out).</item>
/// </list>
/// Both databases are dropped at the end, also when a step fails. Not thread-safe.
/// </summary>
internal sealed class SquashEquivalenceProof
{
    /// <summary>What the originals' catalog is called in messages.</summary>
    public const string OriginalsName = "the original migrations";

    /// <summary>What the squash's catalog is called in messages.</summary>
    public const string SquashName = "the squashed migration";

    private readonly IScratchDatabaseServer _server;
    private readonly Func<string, DbContext> _contextFor;
    private readonly string _baseName;

    /// <summary>Creates the proof.</summary>
    /// <param name="server">Where the two databases are created (the project's database server, or the one of <c>--connection</c>).</param>
    /// <param name="contextFor">Creates the application's DbContext (same type and options as the code's) on a connection string; the proof disposes it.</param>
    /// <param name="databaseName">The project's database name: the scratch databases are named after it.</param>
    public SquashEquivalenceProof(IScratchDatabaseServer server, Func<string, DbContext> contextFor, string databaseName)
    {
        _server = server;
        _contextFor = contextFor;
        _baseName = databaseName;
    }

    /// <summary>Receives progress lines (database names, steps); null for none.</summary>
    public Action<string>? Progress { get; init; }

    /// <summary>Proves a planned squash (not compiled yet) given as its Up operations and target model.</summary>
    /// <param name="codeMigrations">The code's migrations as a database runs them one by one, oldest first (<see cref="OriginalsOnly"/>).</param>
    /// <param name="rangeIds">The migrations the squash replaces, oldest first.</param>
    /// <param name="up">The squashed migration's Up operations.</param>
    /// <param name="targetModel">Its target model (finalized), which EF Core's SQL generator gets with the operations.</param>
    public SquashProofResult Prove(IReadOnlyList<string> codeMigrations, IReadOnlyList<string> rangeIds, IReadOnlyList<MigrationOperation> up, IModel targetModel)
        => Run(codeMigrations, rangeIds, null, migrator =>
        {
            var context = migrator.Context;
            var commands = context.GetService<IMigrationsSqlGenerator>().Generate(up, targetModel, MigrationsSqlGenerationOptions.Default);
            context.GetService<IMigrationCommandExecutor>().ExecuteNonQuery(commands, context.GetService<IRelationalConnection>());
        });

    /// <summary>Proves a squashed migration of the code (<c>[Replaces]</c>) whose replaced migrations are still in the code.</summary>
    /// <param name="codeMigrations">The code's migrations as a database runs them one by one, oldest first (<see cref="OriginalsOnly"/>).</param>
    /// <param name="squashId">The squashed migration.</param>
    /// <param name="rangeIds">The migrations it replaces, oldest first.</param>
    public SquashProofResult Prove(IReadOnlyList<string> codeMigrations, string squashId, IReadOnlyList<string> rangeIds)
        => Run(codeMigrations, rangeIds, squashId, migrator => migrator.Execute(new MigrationStep(MigrationAction.Apply, squashId)));

    private SquashProofResult Run(IReadOnlyList<string> codeMigrations, IReadOnlyList<string> rangeIds, string? squashId, Action<SafeMigrator> applySquash)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        var a = ScratchName(_baseName, stamp, "a");
        var b = ScratchName(_baseName, stamp, "b");
        var databases = new[] { a, b };
        var before = Before(codeMigrations, rangeIds, squashId);
        try
        {
            Progress?.Invoke($"Proving the squash on {_server.Describe()}: databases \"{a}\" and \"{b}\" (dropped afterwards); {before.Count} migration(s) before the range first.");
            var connectionA = _server.Create(a);
            using (var context = _contextFor(connectionA))
            {
                var migrator = SafeMigrator.InOneSession(context);
                foreach (var id in before)
                {
                    migrator.Execute(new MigrationStep(MigrationAction.Apply, id));
                }
            }

            var connectionB = _server.Copy(a, b);
            IReadOnlyList<string> ignored;
            string? originalsFailure = null;
            using (var context = _contextFor(connectionA))
            {
                ignored = IgnoredTables(context);
                var migrator = SafeMigrator.InOneSession(context);
                foreach (var id in rangeIds)
                {
                    try
                    {
                        migrator.Execute(new MigrationStep(MigrationAction.Apply, id));
                    }
                    catch (MigrationExecutionException ex)
                    {
                        originalsFailure = $"the original migration '{id}' fails: {Innermost(ex)}";
                        break;
                    }
                }
            }

            string? squashFailure = null;
            using (var context = _contextFor(connectionB))
            {
                try
                {
                    applySquash(SafeMigrator.InOneSession(context));
                }
                catch (Exception ex)
                {
                    squashFailure = $"the squashed migration fails: {Innermost(ex)}";
                }
            }

            var differences = originalsFailure is null && squashFailure is null
                ? SchemaCatalog.Compare(_server.ReadCatalog(connectionA, ignored), _server.ReadCatalog(connectionB, ignored))
                : [];
            return new SquashProofResult(_server.Describe(), databases, originalsFailure, squashFailure, differences);
        }
        finally
        {
            foreach (var name in databases.Reverse())
            {
                try
                {
                    _server.Drop(name);
                }
                catch (Exception ex)
                {
                    Progress?.Invoke($"Could not drop the scratch database \"{name}\" on {_server.Describe()} ({ex.Message}); drop it by hand: DROP DATABASE \"{name}\";");
                }
            }
        }
    }

    /// <summary>
    /// The migrations a database runs before the range, oldest first: those of <paramref name="codeMigrations"/>
    /// (<see cref="OriginalsOnly"/>) that sort before its first one, without the squash being proven.
    /// </summary>
    private static IReadOnlyList<string> Before(IReadOnlyList<string> codeMigrations, IReadOnlyList<string> rangeIds, string? squashId)
    {
        var first = rangeIds[0];
        return codeMigrations
            .Where(id => string.CompareOrdinal(id, first) < 0 && id != squashId)
            .Where(id => !rangeIds.Contains(id))
            .ToList();
    }

    /// <summary>The code's migrations without the squashed migrations whose replaced migrations are all in the code (a database can run those originals one by one).</summary>
    /// <param name="migrator">The code's migrator.</param>
    /// <returns>Every migration id of the code a database would run migration by migration, oldest first.</returns>
    public static IReadOnlyList<string> OriginalsOnly(SafeMigrator migrator)
    {
        var all = migrator.AllMigrations;
        var code = all.ToHashSet(StringComparer.Ordinal);
        return all.Where(id => ReplacesAttributeLookup.ReplacedIds(migrator.GetMigration(id).GetType()) is not { Count: > 0 } replaced || !replaced.All(code.Contains)).ToList();
    }

    /// <summary>
    /// A scratch database name: the project database's name (shortened to fit PostgreSQL's 63 bytes),
    /// <c>_squashproof_</c>, the UTC time to the millisecond, <c>_</c> and the side.
    /// </summary>
    public static string ScratchName(string database, string stamp, string side)
    {
        var suffix = $"_squashproof_{stamp}_{side}";
        var name = database;
        while (name.Length > 0 && Encoding.UTF8.GetByteCount(name + suffix) > 63)
        {
            name = name[..^1];
        }

        return name + suffix;
    }

    private static IReadOnlyList<string> IgnoredTables(DbContext context)
    {
        var options = context.GetService<IDbContextOptions>();
        var history = RelationalOptionsExtension.Extract(options).MigrationsHistoryTableName ?? HistoryRepository.DefaultTableName;
        return [history, "__EFMigrationsLock", JournalTable.DefaultName];
    }

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

/// <summary>The outcome of a <see cref="SquashEquivalenceProof"/>.</summary>
/// <param name="Server">The scratch server, for messages (no password).</param>
/// <param name="Databases">The two scratch databases (dropped).</param>
/// <param name="OriginalsFailure">Why applying the original migrations failed, or null.</param>
/// <param name="SquashFailure">Why applying the squashed migration failed, or null.</param>
/// <param name="Differences">Catalog differences, originals (left) against squash (right); empty when either side failed.</param>
internal sealed record SquashProofResult(string Server, IReadOnlyList<string> Databases, string? OriginalsFailure, string? SquashFailure, IReadOnlyList<CatalogDifference> Differences)
{
    /// <summary>True when both sides ran and their catalogs are the same.</summary>
    public bool Identical => OriginalsFailure is null && SquashFailure is null && Differences.Count == 0;

    /// <summary>Lines describing why the proof failed (at most <paramref name="limit"/> differences, then a count); empty when identical.</summary>
    public IReadOnlyList<string> Describe(int limit = 20)
    {
        var lines = new List<string>();
        if (OriginalsFailure is not null)
        {
            lines.Add(OriginalsFailure);
        }

        if (SquashFailure is not null)
        {
            lines.Add(SquashFailure);
        }

        lines.AddRange(Differences.Take(limit).Select(d => d.Describe(SquashEquivalenceProof.OriginalsName, SquashEquivalenceProof.SquashName)));
        if (Differences.Count > limit)
        {
            lines.Add($"and {Differences.Count - limit} more difference(s)");
        }

        return lines;
    }
}
