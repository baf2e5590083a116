using System.Reflection;
using EfSafeMigrate.Npgsql.Runtime;

namespace EfSafeMigrate.Tests.Packaging;

/// <summary>
/// What an application references (EfSafeMigrate for <c>UseSafeMigrate()</c> and <c>[Replaces]</c>, EfSafeMigrate.Npgsql
/// for the idempotent-script guards) exposes only that as public API: integrity, consistency, backups, journal, lint,
/// execution, schema and the other tool-only code are internal (seen by the tool and the tests through
/// InternalsVisibleTo). A type that must stay public without being API lives in a <c>.Internal</c> namespace, as in EF Core.
/// </summary>
public class PublicApiTests
{
    // The squash-aware runtime (UseSafeMigrate() and the services EF Core's service replacement builds) is public as a
    // whole while it lives in Runtime/; it is to move to Squashing/, where only what an application uses stays public.
    private static readonly string[] RuntimeNamespaces = ["EfSafeMigrate.Runtime", "EfSafeMigrate.Squashing"];

    private static readonly HashSet<string> AllowedTypes =
    [
        "EfSafeMigrate.ReplacesAttribute",
        "Microsoft.EntityFrameworkCore.SafeMigrateDbContextOptionsBuilderExtensions", // UseSafeMigrate(), in EF Core's namespace as EF Core's own UseXxx() are
        "EfSafeMigrate.Npgsql.Runtime.NpgsqlSquashScriptGuards",
    ];

    [Theory]
    [InlineData(typeof(ReplacesAttribute))]
    [InlineData(typeof(NpgsqlSquashScriptGuards))]
    public void Runtime_assemblies_export_only_runtime_types(Type fromAssembly)
    {
        var exported = fromAssembly.Assembly.GetExportedTypes().Select(t => t.FullName!).ToList();

        var unexpected = exported
            .Where(name => !AllowedTypes.Contains(name)
                           && !RuntimeNamespaces.Any(ns => name.StartsWith(ns + ".", StringComparison.Ordinal))
                           && !IsInInternalNamespace(name))
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
        foreach (var name in new[] { "EfSafeMigrate.Integrity.SumFile", "EfSafeMigrate.Backups.BackupCatalog", "EfSafeMigrate.Execution.PlanRunner", "EfSafeMigrate.Lint.LintEngine", "EfSafeMigrate.Journal.JournalReader", "EfSafeMigrate.Footprint.OperationFootprint" })
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
