using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

await using var db = new NotesContextFactory().CreateDbContext(args);
Console.WriteLine(await db.Notes.CountAsync());

public class Note
{
    public int Id { get; set; }

    public string Text { get; set; } = "";
}

public class NotesContext(DbContextOptions<NotesContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();
}

public class NotesContextFactory : IDesignTimeDbContextFactory<NotesContext>
{
    public NotesContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NotesContext>()
            .UseNpgsql(Environment.GetEnvironmentVariable("ConnectionStrings__Shop") ?? "Host=localhost;Database=notes;Username=postgres")
            .Options);
}
