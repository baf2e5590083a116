using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;

namespace EfSafeMigrate.Design.Merge;

/// <summary>
/// What the merge writers (<see cref="MergeMigrationWriter"/>, <see cref="MigrationRebaser"/>, <see cref="BranchRebaser"/>)
/// share with <c>MigrationsScaffolder.ScaffoldMigration</c> for <c>dotnet ef migrations add</c>: the snapshot's class name
/// and namespace, the <see cref="ScaffoldedMigration"/> that <see cref="IMigrationsScaffolder.Save"/> places (namespaces
/// relative to the project's root namespace), and a migration's existing files.
/// </summary>
internal static class MigrationScaffolding
{
    /// <summary>
    /// The model snapshot's class name and namespace: the existing snapshot's, else (no snapshot yet) EF Core's default name,
    /// <c>&lt;context name without generic arity&gt;ModelSnapshot</c>, in <paramref name="fallbackNamespace"/>.
    /// </summary>
    public static (string Name, string Namespace) Snapshot(IMigrationsAssembly migrationsAssembly, Type contextType, string fallbackNamespace)
    {
        var snapshot = migrationsAssembly.ModelSnapshot?.GetType();
        var contextName = contextType.Name.IndexOf('`') is var mark and >= 0 ? contextType.Name[..mark] : contextType.Name;
        return (snapshot?.Name ?? contextName + "ModelSnapshot", snapshot?.Namespace ?? fallbackNamespace);
    }

    /// <summary>The files of one migration for <see cref="IMigrationsScaffolder.Save"/>, its namespaces made relative as EF Core's <c>GetSubNamespace</c> does.</summary>
    /// <param name="fileExtension">The code generator's file extension (<c>.cs</c>).</param>
    /// <param name="rootNamespace">The project's root namespace.</param>
    /// <param name="previousMigrationId">The migration the new one follows (Save places the new files beside it).</param>
    /// <param name="migration">The new migration's id, namespace, migration code and designer code.</param>
    /// <param name="snapshot">The snapshot's class name, namespace and code.</param>
    public static ScaffoldedMigration Scaffold(
        string fileExtension,
        string rootNamespace,
        string previousMigrationId,
        (string Id, string Namespace, string Code, string MetadataCode) migration,
        (string Name, string Namespace, string Code) snapshot)
        => new(
            fileExtension,
            previousMigrationId,
            migration.Code,
            migration.Id,
            migration.MetadataCode,
            SubNamespace(rootNamespace, migration.Namespace),
            snapshot.Code,
            snapshot.Name,
            SubNamespace(rootNamespace, snapshot.Namespace));

    /// <summary>
    /// The full paths of a migration's migration file and designer file under <paramref name="projectDir"/> (any depth, as EF
    /// Core's <c>TryGetProjectFile</c> looks for them), in that order, leaving out one that is not there.
    /// </summary>
    public static IReadOnlyList<string> ExistingFiles(string projectDir, string migrationId, string fileExtension)
        => new[] { migrationId + fileExtension, migrationId + ".Designer" + fileExtension }
            .Select(name => Directory.EnumerateFiles(projectDir, name, SearchOption.AllDirectories).FirstOrDefault())
            .OfType<string>()
            .ToList();

    // As MigrationsScaffolder.GetSubNamespace.
    private static string SubNamespace(string rootNamespace, string @namespace)
        => @namespace == rootNamespace
            ? string.Empty
            : @namespace.StartsWith(rootNamespace + ".", StringComparison.Ordinal)
                ? @namespace[(rootNamespace.Length + 1)..]
                : @namespace;
}
