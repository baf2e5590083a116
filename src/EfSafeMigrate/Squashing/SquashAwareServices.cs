using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The two squash-aware decorators of one DbContext scope, sharing one <see cref="SquashResolver"/>
/// (so the code's squashed migrations are read once per scope, and each original EF Core service is
/// created once). Registered as a scoped service by <see cref="SquashAwareServiceRegistration"/>.
/// </summary>
internal sealed class SquashAwareServices
{
    public SquashAwareServices(IMigrationsAssembly innerAssembly, IHistoryRepository innerHistory, IRelationalConnection? connection)
    {
        var resolver = new SquashResolver(innerAssembly, innerHistory, connection);
        MigrationsAssembly = new SquashAwareMigrationsAssembly(resolver);
        HistoryRepository = new SquashAwareHistoryRepository(resolver);
    }

    public SquashAwareMigrationsAssembly MigrationsAssembly { get; }

    public SquashAwareHistoryRepository HistoryRepository { get; }

    /// <summary>
    /// The squash-aware pair for services resolved from a context: the decorators themselves when
    /// the context uses <c>UseSafeMigrate()</c>, otherwise new decorators around the given services.
    /// </summary>
    public static (SquashAwareMigrationsAssembly Assembly, SquashAwareHistoryRepository History) Wrap(
        IMigrationsAssembly assembly, IHistoryRepository history, IRelationalConnection? connection)
    {
        if (assembly is SquashAwareMigrationsAssembly decoratedAssembly && history is SquashAwareHistoryRepository decoratedHistory)
        {
            return (decoratedAssembly, decoratedHistory);
        }

        var services = new SquashAwareServices(
            assembly is SquashAwareMigrationsAssembly a ? a.Inner : assembly,
            history is SquashAwareHistoryRepository h ? h.Inner : history,
            connection);
        return (services.MigrationsAssembly, services.HistoryRepository);
    }
}
