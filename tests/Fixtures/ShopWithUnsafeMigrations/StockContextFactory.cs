using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Stock;

/// <summary>Creates <see cref="StockContext"/> from <c>ConnectionStrings__Shop</c> (the variable the end-to-end tests set).</summary>
public class StockContextFactory : IDesignTimeDbContextFactory<StockContext>
{
    public StockContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Shop");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = "Host=localhost;Port=5432;Database=stock;Username=postgres";
        }

        return new StockContext(new DbContextOptionsBuilder<StockContext>().UseNpgsql(connectionString).Options);
    }
}
