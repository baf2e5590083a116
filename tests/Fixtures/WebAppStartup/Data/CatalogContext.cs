using Microsoft.EntityFrameworkCore;

namespace WebAppStartup.Data;

public class Item
{
    public int Id { get; set; }

    public string Name { get; set; } = "";
}

public class CatalogContext(DbContextOptions<CatalogContext> options) : DbContext(options)
{
    public DbSet<Item> Items => Set<Item>();
}
