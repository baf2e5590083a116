using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The EF Core options extension added by <c>UseSafeMigrate()</c>: it makes EF Core's own
/// migration services squash-aware by wrapping the provider's <see cref="IMigrationsAssembly"/> and
/// <see cref="IHistoryRepository"/> (<see cref="SquashAwareMigrationsAssembly"/>,
/// <see cref="SquashAwareHistoryRepository"/>) in the internal service provider EF Core builds for
/// the context's options. EF Core calls <see cref="ApplyServices"/> of each extension in the order the
/// extensions were first added, so this one must be added after the database provider's, whose
/// registrations it replaces. The extension has no settings: every context that uses it shares one
/// internal service provider with the same other options.
/// </summary>
public sealed class SafeMigrateOptionsExtension : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    /// <inheritdoc />
    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    /// <summary>
    /// Replaces the provider's <see cref="IMigrationsAssembly"/> and <see cref="IHistoryRepository"/>
    /// registrations with scoped decorators that create the original implementations as registered
    /// and wrap them.
    /// </summary>
    /// <exception cref="InvalidOperationException">The services are not registered yet: the provider's <c>Use...()</c> comes after <c>UseSafeMigrate()</c>, or the provider is not relational.</exception>
    public void ApplyServices(IServiceCollection services) => SquashAwareServiceRegistration.Decorate(services);

    /// <summary>
    /// Checks, before EF Core builds its service provider, that the options allow the decoration:
    /// a relational database provider is configured before <c>UseSafeMigrate()</c>; no
    /// <c>UseInternalServiceProvider(...)</c> (EF Core then never calls <see cref="ApplyServices"/>);
    /// no <c>ReplaceService</c> of the migrations assembly or the history repository (EF Core applies
    /// replacements after every extension's services, so it would silently drop the decorator, or
    /// never find the implementation it means to replace).
    /// </summary>
    /// <exception cref="InvalidOperationException">One of the conditions fails; the message names it and the fix.</exception>
    public void Validate(IDbContextOptions options)
    {
        var extensions = options.Extensions.ToList();
        var self = extensions.FindIndex(e => e is SafeMigrateOptionsExtension);
        var provider = extensions.FindIndex(e => e.Info.IsDatabaseProvider);
        if (provider < 0 || !extensions.OfType<RelationalOptionsExtension>().Any())
        {
            throw new InvalidOperationException(
                "UseSafeMigrate() needs a relational database provider: configure one first, e.g. options.UseNpgsql(connectionString).UseSafeMigrate().");
        }

        if (self >= 0 && provider > self)
        {
            throw new InvalidOperationException(
                $"UseSafeMigrate() was called before the database provider ({extensions[provider].GetType().Name}): it wraps the provider's migration services, " +
                "so it must come after it. Write options.UseNpgsql(connectionString).UseSafeMigrate() (the provider's Use...() first).");
        }

        var core = options.FindExtension<CoreOptionsExtension>();
        if (core?.InternalServiceProvider is not null)
        {
            throw new InvalidOperationException(
                "UseSafeMigrate() cannot be combined with UseInternalServiceProvider(...): EF Core then takes its services from that provider and never lets " +
                "UseSafeMigrate() add its own. Remove UseInternalServiceProvider(...), or remove UseSafeMigrate() and migrate with 'dotnet safe-migrate apply'.");
        }

        if (core?.ReplacedServices is { } replaced)
        {
            foreach (var (serviceType, _) in replaced.Keys)
            {
                if (serviceType == typeof(IMigrationsAssembly) || serviceType == typeof(IHistoryRepository))
                {
                    throw new InvalidOperationException(
                        $"UseSafeMigrate() cannot be combined with ReplaceService<{serviceType.Name}, ...>(): EF Core applies replacements after UseSafeMigrate() " +
                        $"wrapped the {serviceType.Name}, so the replacement would drop the squash handling. Remove one of the two (without UseSafeMigrate(), " +
                        "'dotnet safe-migrate apply' still applies squashed migrations correctly).");
                }
            }
        }
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => "using SafeMigrate ";

        // No settings: all contexts using the extension (with otherwise equal options) share a service provider.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) => debugInfo["SafeMigrate:SquashAwareMigrations"] = "1";
    }
}
