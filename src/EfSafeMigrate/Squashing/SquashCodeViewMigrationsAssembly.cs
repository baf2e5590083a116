using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The migrations of the code as the squash rules see them for an empty database, whatever database
/// the context can reach: every squashed migration applies, the migrations it replaces do not. This is
/// what an idempotent script is generated from (it must not depend on the database it was generated
/// next to): with the guards of <see cref="SquashAwareHistoryRepository"/>, the squashed migration runs
/// only on a database that has none of the migrations it replaces, counts as applied on one that has
/// them all, and stops the script on one part-way through them. <see cref="FindMigrationId"/> refuses
/// a replaced migration (<see cref="SquashedAwayMigrationException"/>, naming the squashed migration).
/// Reads no history; not thread-safe (the wrapped assembly's view cache).
/// </summary>
internal sealed class SquashCodeViewMigrationsAssembly : IMigrationsAssembly
{
    private readonly SquashAwareMigrationsAssembly _decorated;
    private readonly SquashResolution _resolution;

    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule (see <see cref="SquashCatalog"/>).</exception>
    public SquashCodeViewMigrationsAssembly(SquashAwareMigrationsAssembly decorated)
    {
        _decorated = decorated;
        _resolution = decorated.Resolver.Resolve([]);
    }

    /// <summary>The code's migrations for an empty database, by id, oldest first.</summary>
    public IReadOnlyDictionary<string, TypeInfo> Migrations => _decorated.View(_resolution);

    /// <inheritdoc />
    public ModelSnapshot? ModelSnapshot => _decorated.Inner.ModelSnapshot;

    /// <inheritdoc />
    public Assembly Assembly => _decorated.Inner.Assembly;

    /// <summary>A migration's id from its id or name, as the wrapped assembly finds it; null when the code has none.</summary>
    /// <exception cref="SquashedAwayMigrationException">The migration is replaced by a squashed migration; the message names it.</exception>
    public string? FindMigrationId(string nameOrId)
    {
        var id = _decorated.Inner.FindMigrationId(nameOrId);
        return id is null || _resolution.IsVisible(id)
            ? id
            : throw SquashAwareMigrationsAssembly.HiddenMigration(_decorated.Resolver.Catalog, _resolution, id);
    }

    /// <inheritdoc />
    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider) => _decorated.Inner.CreateMigration(migrationClass, activeProvider);
}
