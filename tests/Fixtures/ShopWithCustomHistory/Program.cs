using ShopWithCustomHistory;

// Prints the number of customers.
await using var db = new ShopContextFactory().CreateDbContext(args);
Console.WriteLine($"{db.Customers.Count()} customer(s)");
