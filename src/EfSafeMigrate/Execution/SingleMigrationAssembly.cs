using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution;

/// <summary>
/// A view of the project's <see cref="IMigrationsAssembly"/> that contains exactly one migration.
/// EF Core's migrator, given this view, applies or reverts exactly that migration with all of its
/// own machinery (history table creation, migrations lock, one transaction per migration,
/// execution strategy) and ignores every other history row, so a step never touches a migration
/// that is not its own, even when the history is out of order. A revert's view also holds the previous migration
/// (the one EF Core reverts to): EF Core generates <c>Down</c> with that migration's target model
/// (<c>Migrator.GenerateDownSql(migration, previousMigration)</c>), as <c>dotnet ef migrations script &lt;from&gt; &lt;to&gt;</c> does.
/// </summary>
internal sealed class SingleMigrationAssembly : IMigrationsAssembly
{
    private readonly IMigrationsAssembly _inner;
    private readonly Func<Migration, Migration>? _prepare;

    /// <summary>Creates the view.</summary>
    /// <param name="inner">The migrations assembly.</param>
    /// <param name="migrationId">The step's migration.</param>
    /// <param name="previousId">For a revert, the migration EF Core reverts to; null for none.</param>
    /// <param name="prepare">Applied to each migration the view creates (compiled migrations: no target model); null leaves them as EF Core made them.</param>
    public SingleMigrationAssembly(IMigrationsAssembly inner, string migrationId, string? previousId = null, Func<Migration, Migration>? prepare = null)
    {
        _inner = inner;
        _prepare = prepare;
        Migrations = previousId is null
            ? new Dictionary<string, TypeInfo> { [migrationId] = inner.Migrations[migrationId] }
            : new Dictionary<string, TypeInfo> { [previousId] = inner.Migrations[previousId], [migrationId] = inner.Migrations[migrationId] };
    }

    public IReadOnlyDictionary<string, TypeInfo> Migrations { get; }

    public ModelSnapshot? ModelSnapshot => _inner.ModelSnapshot;

    public Assembly Assembly => _inner.Assembly;

    public string? FindMigrationId(string nameOrId) => _inner.FindMigrationId(nameOrId);

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = _inner.CreateMigration(migrationClass, activeProvider);
        return _prepare is null ? migration : _prepare(migration);
    }
}
