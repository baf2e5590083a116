using System.Reflection;
using System.Runtime.Loader;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// In the inner process the runtime resolves assemblies from the application's deps.json. This
/// resolver answers for the rest: first the application's output folder (its own assemblies,
/// <c>dotnet ef</c>'s <c>ReflectionOperationExecutor</c> does the same), then the tool's folder
/// (the tool's own dependencies, such as the command-line parser, which the app does not have).
/// The application's copy of a shared assembly (EF Core, Npgsql) always wins.
/// </summary>
internal static class AppAssemblyResolver
{
    /// <summary>Installs the resolver on the default load context. Call before any tool dependency is touched.</summary>
    public static void Install(string appDirectory)
    {
        // Under "dotnet exec --depsfile", AppContext.BaseDirectory is the app's folder; the tool's is where this assembly is.
        var toolDirectory = Path.GetDirectoryName(typeof(AppAssemblyResolver).Assembly.Location)!;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            foreach (var folder in new[] { appDirectory, toolDirectory })
            {
                var candidate = Path.Combine(folder, name.Name + ".dll");
                if (File.Exists(candidate))
                {
                    return context.LoadFromAssemblyPath(candidate);
                }
            }

            return null;
        };
    }

    /// <summary>Loads an assembly of the application by name.</summary>
    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));
}
