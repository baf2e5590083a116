using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// The cache key of a compiled step: SHA-256 (hex) of everything that can change the SQL EF Core generates for it —
/// <list type="bullet">
/// <item>the direction and the migration's id and source checksum (the hash of its files, as in <c>safe-migrate.sum</c>;
/// the designer file is one of them, and it alone determines the target model the SQL is generated with);</item>
/// <item>for <c>down</c>, the migration whose target model EF Core generates <c>Down</c> with (the previous one in the step's
/// view, or none) and its checksum;</item>
/// <item>the DbContext type, the provider, and the identity (name, version, module version id) of EF Core, EF Core
/// Relational, the provider's SQL generator assembly and this library: a deterministic build gives a new module version id
/// exactly when the code changes, so a patched EF Core or safe-migrate never reads SQL another build generated;</item>
/// <item>the history table as the history repository writes it (its insert and delete statements for a fixed row: table name
/// and schema), and the context's options as EF Core describes them for its service-provider cache
/// (<see cref="DbContextOptionsExtensionInfo.PopulateDebugInfo"/>: provider settings such as the PostgreSQL version the SQL
/// targets), without EF Core's core options (warnings, logging) and connection callbacks, which do not change SQL and are
/// described by object hash codes that differ in every process.</item>
/// </list>
/// A migration without a known checksum gets no key (it is never cached).
/// </summary>
internal sealed class CompiledStepKeys
{
    private readonly string _environment;
    private readonly Func<string, string?> _checksum;

    /// <summary>Prepares the keys of one context's steps.</summary>
    /// <param name="context">The context being migrated.</param>
    /// <param name="historyRepository">The history repository the steps run with.</param>
    /// <param name="generator">The provider's SQL generator (its assembly is part of the key).</param>
    /// <param name="checksum">A migration's source checksum by id; null when unknown.</param>
    public CompiledStepKeys(DbContext context, IHistoryRepository historyRepository, IMigrationsSqlGenerator generator, Func<string, string?> checksum)
    {
        _checksum = checksum;
        var material = new StringBuilder();
        material.Append("EfSafeMigrate compiled step ").Append(CompiledMigrationCache.FormatVersion).Append('\n');
        material.Append("context: ").Append(context.GetType().AssemblyQualifiedName).Append('\n');
        material.Append("provider: ").Append(context.Database.ProviderName).Append('\n');
        foreach (var assembly in new[] { typeof(DbContext).Assembly, typeof(Migration).Assembly, generator.GetType().Assembly, typeof(CompiledStepKeys).Assembly }.Distinct())
        {
            material.Append("assembly: ").Append(assembly.FullName).Append(' ').Append(assembly.ManifestModule.ModuleVersionId.ToString("N")).Append('\n');
        }

        var row = new HistoryRow("00000000000000_Key", "0.0.0");
        material.Append("history insert: ").Append(historyRepository.GetInsertScript(row)).Append('\n');
        material.Append("history delete: ").Append(historyRepository.GetDeleteScript(row.MigrationId)).Append('\n');
        foreach (var (name, value) in OptionsDescription(context))
        {
            material.Append("option: ").Append(name).Append('=').Append(value).Append('\n');
        }

        _environment = material.ToString();
    }

    /// <summary>What every key of this context is made of besides the step (for <c>--verbose</c> and tests).</summary>
    public string Environment => _environment;

    /// <summary>The key of applying <paramref name="migrationId"/>; null when its checksum is unknown.</summary>
    public string? Up(string migrationId)
        => _checksum(migrationId) is { } sum ? Hash($"up\n{migrationId}\n{sum}\n") : null;

    /// <summary>
    /// The key of reverting <paramref name="migrationId"/> with <paramref name="previousId"/>'s target model (null: none);
    /// null when a checksum is unknown.
    /// </summary>
    public string? Down(string migrationId, string? previousId)
    {
        if (_checksum(migrationId) is not { } sum)
        {
            return null;
        }

        if (previousId is null)
        {
            return Hash($"down\n{migrationId}\n{sum}\nprevious: none\n");
        }

        return _checksum(previousId) is { } previousSum ? Hash($"down\n{migrationId}\n{sum}\nprevious: {previousId}\n{previousSum}\n") : null;
    }

    /// <summary>
    /// The key of the lint verdict of running <paramref name="migrationId"/> in <paramref name="direction"/> (<c>up</c>: its
    /// <c>Up</c> is linted, <c>down</c>: its <c>Down</c>, each with the other as counterpart) under lint options whose
    /// <see cref="Lint.LintOptions.Fingerprint"/> is <paramref name="lintFingerprint"/>; null when its checksum is unknown. The
    /// checksum covers the migration's files (its operations and its suppression comments), the environment covers EF Core and
    /// the provider (which build the operations) and this library.
    /// </summary>
    public string? Lint(string migrationId, string direction, string lintFingerprint)
        => _checksum(migrationId) is { } sum ? Hash($"lint {direction}\n{migrationId}\n{sum}\n{lintFingerprint}") : null;

    private static bool IgnoredOption(string name)
        => name.StartsWith("Core:", StringComparison.Ordinal)
           || name.Contains("Callback", StringComparison.Ordinal)
           || name.Contains("DataSource", StringComparison.Ordinal);

    private string Hash(string step) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(_environment + step)));

    // EF Core's own description of the options (it keys its internal service providers by them), without what cannot change
    // the SQL and is an object's hash code, different in every process: EF Core's own core options ("Core:": warnings,
    // logging, caching) and the provider's connection callbacks and data source. Provider settings that shape SQL (Npgsql's
    // SetPostgresVersion, ReverseNullOrdering, UseRedshift) stay in.
    private static IEnumerable<(string Name, string Value)> OptionsDescription(DbContext context)
    {
        var options = context.GetService<IDbContextOptions>();
        var info = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var extension in options.Extensions)
        {
            var entries = new Dictionary<string, string>();
            extension.Info.PopulateDebugInfo(entries);
            foreach (var (name, value) in entries.Where(e => !IgnoredOption(e.Key)))
            {
                info[name] = value;
            }
        }

        return info.Select(p => (p.Key, p.Value.ToString(CultureInfo.InvariantCulture)));
    }
}
