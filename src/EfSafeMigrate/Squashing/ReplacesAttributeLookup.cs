using System.Collections.ObjectModel;
using System.Reflection;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// Reads <see cref="ReplacesAttribute"/> from a migration class by the attribute's full name, not its
/// type: <c>dotnet safe-migrate</c> runs inside the application's dependencies, where the
/// application's copy of this assembly and the tool's may both be loaded, and an attribute from the
/// other copy is not a <see cref="ReplacesAttribute"/> of this one.
/// </summary>
public static class ReplacesAttributeLookup
{
    private static readonly string AttributeName = typeof(ReplacesAttribute).FullName!;

    /// <summary>The ids the migration class replaces, as written (oldest first); null when it has no <c>[Replaces]</c>.</summary>
    public static IReadOnlyList<string>? ReplacedIds(Type migrationType)
    {
        var data = migrationType.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == AttributeName);
        if (data is null)
        {
            return null;
        }

        return data.ConstructorArguments is [{ Value: ReadOnlyCollection<CustomAttributeTypedArgument> values }]
            ? values.Select(v => v.Value as string ?? string.Empty).ToList()
            : [];
    }
}
