using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Catalog;

/// <summary>Creates <see cref="CatalogContext"/> from <c>ConnectionStrings__Shop</c> (the variable the end-to-end tests set).</summary>
public class CatalogContextFactory : IDesignTimeDbContextFactory<CatalogContext>
{
    public CatalogContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Shop");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = "Host=localhost;Port=5432;Database=catalog;Username=postgres";
        }

        return new CatalogContext(new DbContextOptionsBuilder<CatalogContext>().UseNpgsql(connectionString).Options);
    }
}
