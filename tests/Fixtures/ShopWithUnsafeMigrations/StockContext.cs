using Microsoft.EntityFrameworkCore;

namespace Stock;

public class StockContext(DbContextOptions<StockContext> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Item>(item =>
        {
            item.Property(i => i.Name).HasMaxLength(100);
            item.HasIndex(i => i.Name);
            item.HasIndex(i => i.Quantity);
            item.HasIndex(i => i.Code).IsUnique().IsCreatedConcurrently();
        });
    }
}
