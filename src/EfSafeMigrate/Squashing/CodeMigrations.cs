using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The migrations of the code, whatever the database: EF Core's migrations assembly of the context,
/// unwrapped when it is the squash-aware view (<see cref="SquashAwareMigrationsAssembly"/>, which
/// shows a database either a squashed migration or the migrations it replaces). A squash works on
/// files, so it needs all of them.
/// </summary>
public static class CodeMigrations
{
    /// <summary>The context's migrations assembly without the squash-aware view.</summary>
    public static IMigrationsAssembly Of(DbContext context)
    {
        var assembly = context.GetService<IMigrationsAssembly>();
        return assembly is SquashAwareMigrationsAssembly view ? view.Inner : assembly;
    }
}
