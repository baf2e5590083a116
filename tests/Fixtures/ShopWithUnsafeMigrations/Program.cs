using Microsoft.EntityFrameworkCore;
using Stock;

await using var db = new StockContextFactory().CreateDbContext(args);
Console.WriteLine($"{await db.Items.CountAsync()} item(s).");
