using System.Reflection;
using System.Runtime.Loader;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// In the inner process the runtime resolves assemblies from the application's deps.json. This
/// resolver answers for the rest: the application's output folder (its own assemblies,
/// <c>dotnet ef</c>'s <c>ReflectionOperationExecutor</c> does the same) and the tool's folder
/// (the tool's own dependencies, such as the command-line parser, which the app does not have).
/// When both have the assembly, the higher assembly version wins, so that the app and the tool share one copy
/// that satisfies both (the packages <see cref="InnerDepsFile"/> rolls forward to the tool's patch); on equal
/// versions the tool's copy wins (the packages <see cref="InnerDepsFile"/> takes from the tool's ReadyToRun copies,
/// and Microsoft.Extensions packages, whose assembly version stays x.0.0.0 across patches, rolled forward).
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
            string? best = null;
            Version? bestVersion = null;
            foreach (var folder in new[] { toolDirectory, appDirectory })
            {
                var candidate = Path.Combine(folder, name.Name + ".dll");
                if (!File.Exists(candidate))
                {
                    continue;
                }

                var version = AssemblyName.GetAssemblyName(candidate).Version ?? new Version(0, 0);
                if (best is null || version > bestVersion!)
                {
                    (best, bestVersion) = (candidate, version);
                }
            }

            return best is null ? null : context.LoadFromAssemblyPath(best);
        };
    }

    /// <summary>Loads an assembly of the application by name.</summary>
    public static Assembly Load(string name) => Assembly.Load(new AssemblyName(name));
}
