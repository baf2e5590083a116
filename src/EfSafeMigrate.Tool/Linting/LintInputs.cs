using EfSafeMigrate.Execution;
using EfSafeMigrate.Lint;
using EfSafeMigrate.Npgsql.Lint;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Integrity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;

namespace EfSafeMigrate.Tool.Linting;

/// <summary>
/// Builds what the lint engine reads from an opened project: each migration's operations through EF
/// Core's migrations assembly (<see cref="SafeMigrator.GetMigration"/>, so <c>Up</c>/<c>Down</c> run as
/// EF Core runs them, with the provider's annotations), and where each operation is written (the
/// migration files of the project's working tree, read as text, found by their <c>[Migration]</c> id).
/// </summary>
internal sealed class LintInputs
{
    private readonly ProjectSession _session;
    private IReadOnlyDictionary<string, MigrationSourceMap>? _sources;

    /// <summary>Creates the reader for a session.</summary>
    public LintInputs(ProjectSession session) => _session = session;

    /// <summary>The migrations to lint, in the order given: <c>Up</c> (or <c>Down</c> when <paramref name="revert"/>) with the other method as counterpart.</summary>
    public IReadOnlyList<LintMigration> For(IEnumerable<string> migrationIds, bool revert)
        => migrationIds.Select(id => For(id, revert)).ToList();

    /// <summary>One migration as lint sees it.</summary>
    public LintMigration For(string migrationId, bool revert)
    {
        var migration = _session.Migrator.GetMigration(migrationId);
        var up = migration.UpOperations;
        IReadOnlyList<MigrationOperation> down = [];
        string? downFailure = null;
        try
        {
            down = migration.DownOperations;
        }
        catch (Exception ex) when (ex is NotSupportedException or NotImplementedException or InvalidOperationException)
        {
            downFailure = $"{ex.GetType().Name}: {ex.Message}";
        }

        return new LintMigration(migrationId, revert, revert ? down : up, revert ? up : down, Sources().GetValueOrDefault(migrationId), downFailure);
    }

    /// <summary>
    /// The lint database for the session's database (sizes through the context's own connection);
    /// a <see cref="MissingDatabase"/> when the database does not exist yet (every table is then new).
    /// </summary>
    public ILintDatabase Database()
        => _session.Migrator.DatabaseExists() ? ExistingDatabase() : new MissingDatabase(_session.Database.Describe());

    /// <summary>The lint database for a database known to exist (inside <c>apply</c>, on the connection that holds the lock).</summary>
    public ILintDatabase ExistingDatabase()
        => new NpgsqlLintDatabase((NpgsqlConnection)_session.Context.Database.GetDbConnection(), _session.Database.Describe());

    private IReadOnlyDictionary<string, MigrationSourceMap> Sources()
    {
        if (_sources is not null)
        {
            return _sources;
        }

        var map = new Dictionary<string, MigrationSourceMap>(StringComparer.Ordinal);
        try
        {
            var files = MigrationFiles.For(_session.ProjectDir);
            foreach (var source in files.FromWorkingTree().Scan().Migrations.Where(m => m.Id is not null))
            {
                foreach (var file in source.Files.Where(f => !f.EndsWith(".Designer.cs", StringComparison.OrdinalIgnoreCase)))
                {
                    var text = File.ReadAllText(files.FullPath(file));
                    if (text.Contains("void Up(", StringComparison.Ordinal))
                    {
                        map.TryAdd(source.Id!, MigrationSourceMap.Parse(file, text));
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CommandException)
        {
            _session.Reporter.Warning($"Cannot read the migration sources under '{_session.ProjectDir}' ({ex.Message}); findings will have no file and line, and suppression comments cannot be read.");
        }

        return _sources = map;
    }
}
