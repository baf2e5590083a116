using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop;

/// <summary>
/// Creates <see cref="ShopContext"/> for design-time tools (dotnet ef, dotnet safe-migrate)
/// and for the sample program. The connection string comes from the environment variable
/// <c>ConnectionStrings__Shop</c>.
/// </summary>
public class ShopContextFactory : IDesignTimeDbContextFactory<ShopContext>
{
    public const string ConnectionStringVariable = "ConnectionStrings__Shop";

    public const string DefaultConnectionString = "Host=localhost;Port=5432;Database=shop;Username=postgres";

    public ShopContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        var options = new DbContextOptionsBuilder<ShopContext>()
            .UseNpgsql(connectionString)
            .Options;
        return new ShopContext(options);
    }
}
