using System.Reflection;
using Xunit;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Infrastructure;

/// <summary>
/// How long a test class takes in CI, in seconds (its tests and its fixtures, measured on the 2-core CI machine), for
/// <see cref="LongestFirstOrderer"/>. A class without it counts as short. Update it when a class's time changes a lot
/// (build/test.sh prints each test's duration).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExpectedSecondsAttribute(int seconds) : Attribute
{
    /// <summary>The class's expected time in CI, in seconds.</summary>
    public int Seconds { get; } = seconds;
}

/// <summary>
/// Starts the longest test classes first (longest-processing-time-first scheduling): the classes run side by side on a
/// few threads (AssemblyInfo.cs), and a long class started last would run alone at the end with the other threads idle.
/// Classes without <see cref="ExpectedSecondsAttribute"/> follow, in xUnit's default order; collections that run alone
/// still run after all others (xUnit runs those after the parallel ones whatever the order).
/// </summary>
public sealed class LongestFirstOrderer : ITestCollectionOrderer
{
    /// <summary>The orderer's full type name, for <c>[assembly: TestCollectionOrderer(...)]</c>.</summary>
    public const string TypeName = "EfSafeMigrate.EndToEndTests.Infrastructure.LongestFirstOrderer";

    /// <summary>The name of the assembly that holds <see cref="TypeName"/>.</summary>
    public const string AssemblyName = "EfSafeMigrate.EndToEndTests";

    private const string PerClassPrefix = "Test collection for ";

    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        => testCollections
            .Select((collection, index) => (collection, index, seconds: ExpectedSeconds(collection)))
            .OrderByDescending(c => c.seconds)
            .ThenBy(c => c.index)
            .Select(c => c.collection);

    /// <summary>The expected seconds of a per-class collection's class; 0 for other collections and classes without the attribute.</summary>
    private static int ExpectedSeconds(ITestCollection collection)
    {
        if (!collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal))
        {
            return 0;
        }

        var type = typeof(LongestFirstOrderer).Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..]);
        return type?.GetCustomAttribute<ExpectedSecondsAttribute>()?.Seconds ?? 0;
    }
}
