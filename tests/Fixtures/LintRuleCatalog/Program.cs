using Catalog;

await using var db = new CatalogContextFactory().CreateDbContext(args);
Console.WriteLine(db.Database.ProviderName);
