using Microsoft.EntityFrameworkCore;
using Shop;

// Prints the number of products in each category.
await using var db = new ShopContextFactory().CreateDbContext(args);

var counts = await db.Categories
    .OrderBy(c => c.Name)
    .Select(c => new { c.Name, Products = c.Products.Count })
    .ToListAsync();

if (counts.Count == 0)
{
    Console.WriteLine("No categories.");
}

foreach (var category in counts)
{
    Console.WriteLine($"{category.Name}: {category.Products} product(s)");
}
