extern alias ShopSample;

using EfSafeMigrate.Design;
using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design.Internal;
using SampleContext = ShopSample::Shop.ShopContext;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary>
/// Squash plans and generated code for samples/Shop (its migrations, untouched): the sample's
/// context, EF Core Design's services for it, and the ids of its migrations. No database is needed
/// to plan and generate; the connection string is only used by the tests that run the SQL.
/// </summary>
internal sealed class SampleSquash : IDisposable
{
    public const string Initial = "20261121064216_Initial";
    public const string AddProductSku = "20261121064223_AddProductSku";
    public const string RenameCustomerName = "20261121064229_RenameCustomerName";
    public const string AddUniqueSkuIndex = "20261121064240_AddUniqueSkuIndex";
    public const string SeedCategories = "20261121064248_SeedCategories";
    public const string AddOrdersDropLegacy = "20261121064259_AddOrdersDropLegacy";

    public SampleSquash(string connectionString = "Host=localhost;Database=unused")
    {
        Context = new SampleContext(new DbContextOptionsBuilder<SampleContext>().UseNpgsql(connectionString).Options);
        Migrator = new SafeMigrator(Context);
        var assembly = typeof(SampleContext).Assembly;
#pragma warning disable EF1001 // EF Core Design's reporter, as dotnet ef builds one for the design-time services
        Design = DesignTimeServices.For(Context, assembly, assembly, new OperationReporter(handler: null));
#pragma warning restore EF1001
    }

    public SampleContext Context { get; }

    public SafeMigrator Migrator { get; }

    public DesignTimeServices Design { get; }

    public static Type ContextType => typeof(SampleContext);

    public static string SampleAssemblyPath => typeof(SampleContext).Assembly.Location;

    public SquashPlan Plan(string from, string to, string? name = null) => new MigrationSquasher(Migrator, Design).Plan(from, to, name);

    public void Dispose()
    {
        Design.Dispose();
        Context.Dispose();
    }
}
