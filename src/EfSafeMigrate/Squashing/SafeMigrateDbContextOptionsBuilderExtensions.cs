using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Infrastructure;

// In EF Core's namespace, like the providers' UseNpgsql()/UseSqlServer(), so that it is found
// wherever DbContextOptionsBuilder is used.
namespace Microsoft.EntityFrameworkCore;

/// <summary><c>UseSafeMigrate()</c>: EfSafeMigrate's handling of squashed migrations inside EF Core's own migrator.</summary>
public static class SafeMigrateDbContextOptionsBuilderExtensions
{
    /// <summary>
    /// Makes EF Core's migrations squash-aware for this context: <c>Database.Migrate()</c>,
    /// <c>MigrateAsync()</c>, <c>GetPendingMigrations()</c>, <c>GetAppliedMigrations()</c>,
    /// <c>dotnet ef database update</c> and migration bundles then apply a squashed migration
    /// (<see cref="EfSafeMigrate.ReplacesAttribute"/>) or the migrations it replaces, whichever the
    /// database needs: a database before the range gets the squashed migration, a database inside
    /// the range gets the rest of the replaced migrations, a database after it gets nothing, and a
    /// database inside the range of a finalized squash is refused with
    /// <see cref="PartiallyAppliedSquashException"/> before anything runs.
    /// Call it after the database provider: <c>options.UseNpgsql(connectionString).UseSafeMigrate()</c>.
    /// It works by wrapping the provider's <c>IMigrationsAssembly</c> and <c>IHistoryRepository</c>
    /// (see <see cref="SafeMigrateOptionsExtension"/>); it changes nothing for code without squashed migrations.
    /// </summary>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">
    /// No database provider is configured yet (this call comes before <c>UseNpgsql(...)</c>). When the
    /// context is first used, EF Core validates its options and the same exception type reports: a
    /// non-relational provider, <c>UseInternalServiceProvider(...)</c>, or a <c>ReplaceService</c> of
    /// either wrapped service.
    /// </exception>
    public static DbContextOptionsBuilder UseSafeMigrate(this DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);
        if (!optionsBuilder.Options.Extensions.Any(e => e.Info.IsDatabaseProvider))
        {
            throw new InvalidOperationException(
                "UseSafeMigrate() was called before a database provider was configured: it wraps the provider's migration services, so it must come " +
                "after it. Write options.UseNpgsql(connectionString).UseSafeMigrate() (the provider's Use...() first).");
        }

        var extension = optionsBuilder.Options.FindExtension<SafeMigrateOptionsExtension>() ?? new SafeMigrateOptionsExtension();
        ((IDbContextOptionsBuilderInfrastructure)optionsBuilder).AddOrUpdateExtension(extension);
        return optionsBuilder;
    }

    /// <summary>Generic form of <see cref="UseSafeMigrate(DbContextOptionsBuilder)"/>, for <see cref="DbContextOptionsBuilder{TContext}"/> chains.</summary>
    /// <typeparam name="TContext">The context type.</typeparam>
    /// <param name="optionsBuilder">The context's options builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="InvalidOperationException">See <see cref="UseSafeMigrate(DbContextOptionsBuilder)"/>.</exception>
    public static DbContextOptionsBuilder<TContext> UseSafeMigrate<TContext>(this DbContextOptionsBuilder<TContext> optionsBuilder)
        where TContext : DbContext
        => (DbContextOptionsBuilder<TContext>)UseSafeMigrate((DbContextOptionsBuilder)optionsBuilder);
}
