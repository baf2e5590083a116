using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkerTwoContexts;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Information);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Information);
var connection = builder.Configuration.GetConnectionString("Shop");
builder.Services.AddDbContext<OrdersContext>(options => options.UseNpgsql(connection));
builder.Services.AddDbContext<AuditContext>(options => options.UseNpgsql(connection));
Console.WriteLine("Worker starting.");

using var host = builder.Build();
host.Run();
