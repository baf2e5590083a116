using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// Replaces the <see cref="IMigrationsAssembly"/> and <see cref="IHistoryRepository"/> registrations
/// of EF Core's internal service collection with the squash-aware decorators. The registrations it
/// replaces are the ones the database provider made in its own <c>ApplyServices</c> (EF Core's
/// <c>MigrationsAssembly</c>, the provider's history repository such as Npgsql's
/// <c>NpgsqlHistoryRepository</c>); the originals are still created exactly as those registrations
/// say (type through <see cref="ActivatorUtilities"/>, factory or instance), once per scope, and wrapped.
/// </summary>
internal static class SquashAwareServiceRegistration
{
    /// <summary>Decorates the two services; a second call changes nothing.</summary>
    /// <exception cref="InvalidOperationException">One of the services is not registered yet (no relational provider, or <c>UseSafeMigrate()</c> before the provider's <c>Use...()</c>).</exception>
    public static void Decorate(IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SquashAwareServices)))
        {
            return;
        }

        var assembly = Last(services, typeof(IMigrationsAssembly));
        var history = Last(services, typeof(IHistoryRepository));
        if (assembly is null || history is null)
        {
            var missing = assembly is null ? nameof(IMigrationsAssembly) : nameof(IHistoryRepository);
            throw new InvalidOperationException(
                $"UseSafeMigrate() found no {missing} among EF Core's services: it must come after the relational database provider " +
                "(e.g. options.UseNpgsql(connectionString).UseSafeMigrate()), whose services it wraps. Move the UseSafeMigrate() call after the provider's.");
        }

        services.RemoveAll(typeof(IMigrationsAssembly));
        services.RemoveAll(typeof(IHistoryRepository));
        services.Add(ServiceDescriptor.Scoped(sp => new SquashAwareServices(
            (IMigrationsAssembly)CreateOriginal(sp, assembly),
            (IHistoryRepository)CreateOriginal(sp, history),
            sp.GetService<IRelationalConnection>())));
        services.Add(ServiceDescriptor.Scoped<IMigrationsAssembly>(sp => sp.GetRequiredService<SquashAwareServices>().MigrationsAssembly));
        services.Add(ServiceDescriptor.Scoped<IHistoryRepository>(sp => sp.GetRequiredService<SquashAwareServices>().HistoryRepository));
    }

    private static ServiceDescriptor? Last(IServiceCollection services, Type serviceType)
        => services.LastOrDefault(d => d.ServiceType == serviceType && !d.IsKeyedService);

    private static object CreateOriginal(IServiceProvider provider, ServiceDescriptor descriptor)
        => descriptor.ImplementationInstance
           ?? descriptor.ImplementationFactory?.Invoke(provider)
           ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
