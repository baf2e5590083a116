using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Design;

/// <summary>
/// EF Core Design's services for a DbContext, built the way <c>dotnet ef migrations add</c> builds
/// them (<see cref="DesignTimeServicesBuilder"/>: the provider's design-time services, the
/// application's <c>IDesignTimeServices</c>, and the context's own services): the C# migration and
/// snapshot generators, the scaffolder and the model differ. Disposing it disposes the scope.
/// </summary>
internal sealed class DesignTimeServices : IDisposable
{
    private readonly IServiceScope _scope;

    private DesignTimeServices(IServiceScope scope) => _scope = scope;

    /// <summary>The design-time service provider.</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>The C# generator of migration, designer and snapshot code (EF Core's <c>CSharpMigrationsGenerator</c>).</summary>
    public IMigrationsCodeGenerator CSharpGenerator => Services.GetRequiredService<IMigrationsCodeGeneratorSelector>().Select("C#");

    /// <summary>Builds the services for <paramref name="context"/>.</summary>
    /// <param name="context">The application's context (created by EF Core Design's DbContextOperations).</param>
    /// <param name="assembly">The migrations assembly.</param>
    /// <param name="startupAssembly">The startup assembly.</param>
    /// <param name="reporter">Receives EF Core Design's messages.</param>
    public static DesignTimeServices For(DbContext context, Assembly assembly, Assembly startupAssembly, IOperationReporter reporter)
    {
        var provider = new DesignTimeServicesBuilder(assembly, startupAssembly, reporter, []).Build(context);
        return new DesignTimeServices(provider.CreateScope());
    }

    /// <inheritdoc />
    public void Dispose() => _scope.Dispose();
}
