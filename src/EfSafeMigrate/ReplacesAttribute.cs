namespace EfSafeMigrate;

/// <summary>
/// Marks a squashed migration: it replaces the listed migrations (Django's <c>replaces</c>). The
/// runtime extension (<c>UseSafeMigrate()</c>) and <c>dotnet safe-migrate</c> read it to decide,
/// per database, whether the squashed migration or the replaced ones apply: none of them applied →
/// the squashed one runs; all applied → the squashed one counts as applied and nothing runs; some
/// applied → the rest of the originals run, then the squashed one counts as applied.
/// Put it on the migration class, beside EF Core's <c>[Migration]</c> attribute.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ReplacesAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="migrationIds">The ids of the replaced migrations, oldest first (a contiguous range of the history).</param>
    public ReplacesAttribute(params string[] migrationIds) => MigrationIds = migrationIds;

    /// <summary>The ids of the replaced migrations, oldest first.</summary>
    public IReadOnlyList<string> MigrationIds { get; }
}
