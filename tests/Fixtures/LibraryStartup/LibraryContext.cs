using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace LibraryStartup;

public class Book
{
    public int Id { get; set; }

    public string Title { get; set; } = "";
}

public class LibraryContext(DbContextOptions<LibraryContext> options) : DbContext(options)
{
    public DbSet<Book> Books => Set<Book>();
}

/// <summary>Design-time factory: the connection string comes from ConnectionStrings__Shop.</summary>
public class LibraryContextFactory : IDesignTimeDbContextFactory<LibraryContext>
{
    public LibraryContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LibraryContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Shop") ?? "Host=localhost;Database=library;Username=postgres")
            .Options);
}
