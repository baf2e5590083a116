using Microsoft.EntityFrameworkCore;
using WebAppStartup.Data;

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Information);
// "Production" reads ConnectionStrings:Production (a test passes "-- --environment Production" to the tool).
var name = builder.Environment.IsProduction() ? "Production" : "Shop";
builder.Services.AddDbContext<CatalogContext>(options => options.UseNpgsql(builder.Configuration.GetConnectionString(name)));
Console.WriteLine($"Web app starting in {builder.Environment.EnvironmentName}.");

var app = builder.Build();
app.MapGet("/", (CatalogContext db) => db.Items.Count());
app.Run();
