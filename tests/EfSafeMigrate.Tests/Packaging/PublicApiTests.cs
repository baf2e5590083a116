using System.Reflection;
using EfSafeMigrate.Npgsql.Squashing;

namespace EfSafeMigrate.Tests.Packaging;

/// <summary>
/// What an application references (EfSafeMigrate for <c>UseSafeMigrate()</c> and <c>[Replaces]</c>, EfSafeMigrate.Npgsql
/// for the idempotent-script guards) exposes only that as public API: integrity, consistency, backups, journal, lint,
/// execution, schema and the other tool-only code are internal (seen by the tool and the tests through
/// InternalsVisibleTo). A type that must stay public without being API lives in a <c>.Internal</c> namespace, as in EF Core.
/// </summary>
public class PublicApiTests
{
    // What an application uses (UseSafeMigrate(), [Replaces], the exceptions a squash-aware Migrate() throws), what EF Core's
    // service replacement builds (the options extension, migrations assembly and history repository), and the contract
    // between the library and a provider's idempotent-script guards.
    private static readonly HashSet<string> AllowedTypes =
    [
        "EfSafeMigrate.ReplacesAttribute",
        "Microsoft.EntityFrameworkCore.SafeMigrateDbContextOptionsBuilderExtensions", // UseSafeMigrate(), in EF Core's namespace as EF Core's own UseXxx() are
        "EfSafeMigrate.Squashing.SafeMigrateOptionsExtension",
        "EfSafeMigrate.Squashing.SquashAwareMigrationsAssembly",
        "EfSafeMigrate.Squashing.SquashAwareHistoryRepository",
        "EfSafeMigrate.Squashing.PartiallyAppliedSquashException",
        "EfSafeMigrate.Squashing.SquashedAwayMigrationException",
        "EfSafeMigrate.Squashing.SquashScriptGuardsUnavailableException",
        "EfSafeMigrate.Squashing.ISquashScriptGuards",
        "EfSafeMigrate.Squashing.SquashRangeCheck",
        "EfSafeMigrate.Squashing.HistoryTableInfo",
        "EfSafeMigrate.Npgsql.Squashing.NpgsqlSquashScriptGuards",
    ];

    [Theory]
    [InlineData(typeof(ReplacesAttribute))]
    [InlineData(typeof(NpgsqlSquashScriptGuards))]
    public void Runtime_assemblies_export_only_runtime_types(Type fromAssembly)
    {
        var exported = fromAssembly.Assembly.GetExportedTypes().Select(t => t.FullName!).ToList();

        var unexpected = exported
            .Where(name => !AllowedTypes.Contains(name) && !IsInInternalNamespace(name))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unexpected.Count == 0,
            $"{fromAssembly.Assembly.GetName().Name} exports tool-only types (make them internal, or move them to a .Internal namespace): {string.Join(", ", unexpected)}");
        Assert.Contains(typeof(ReplacesAttribute).FullName!, typeof(ReplacesAttribute).Assembly.GetExportedTypes().Select(t => t.FullName));
    }

    [Fact]
    public void Tool_only_code_is_internal()
    {
        var assembly = typeof(ReplacesAttribute).Assembly;
        foreach (var name in new[] { "EfSafeMigrate.Integrity.SumFile", "EfSafeMigrate.Backups.BackupCatalog", "EfSafeMigrate.Execution.PlanRunner", "EfSafeMigrate.Lint.LintEngine", "EfSafeMigrate.Journal.JournalReader", "EfSafeMigrate.Footprint.OperationFootprint", "EfSafeMigrate.Squashing.SquashCatalog", "EfSafeMigrate.Squashing.SquashRules" })
        {
            var type = assembly.GetType(name, throwOnError: true)!;
            Assert.False(type.IsPublic, $"{name} is public");
        }

        Assert.Contains(typeof(ReplacesAttribute).Assembly.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>(), a => a.AssemblyName == "dotnet-safe-migrate");
    }

    private static bool IsInInternalNamespace(string fullName)
    {
        var lastDot = fullName.LastIndexOf('.');
        return lastDot > 0 && fullName[..lastDot].EndsWith(".Internal", StringComparison.Ordinal);
    }
}
