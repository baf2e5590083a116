using Microsoft.EntityFrameworkCore;

namespace WorkerTwoContexts;

public class Order
{
    public int Id { get; set; }

    public decimal Total { get; set; }
}

public class AuditEntry
{
    public long Id { get; set; }

    public string Message { get; set; } = "";
}

public class OrdersContext(DbContextOptions<OrdersContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}

/// <summary>Keeps its tables and its history table in schema "audit".</summary>
public class AuditContext(DbContextOptions<AuditContext> options) : DbContext(options)
{
    public DbSet<AuditEntry> Entries => Set<AuditEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.HasDefaultSchema("audit");
}
