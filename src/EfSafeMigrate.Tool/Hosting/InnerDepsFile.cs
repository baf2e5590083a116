using System.Text.Json;
using System.Text.Json.Nodes;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// The deps file the inner process runs with. The tool is compiled against the repository's EF Core 10 patch, and EF Core's assembly
/// version is its full package version (e.g. 10.0.15.0): an app on an older EF Core 10 patch puts 10.0.0.0 in the
/// runtime's trusted assemblies, and the tool's code then fails to load (<c>FileLoadException</c>) or finds a method
/// missing. For every package the tool ships in a newer patch of the same major version than the app uses
/// (EF Core, its Microsoft.Extensions dependencies), this writes a copy of the app's deps file without that
/// package's runtime assemblies, so that <see cref="AppAssemblyResolver"/> loads the newer copy from the tool's
/// folder for both the app and the tool: the app runs on the newer patch, as NuGet would give it with a
/// higher reference. A package the app uses in the same or a newer version is left alone (the app's copy wins).
/// </summary>
internal sealed class InnerDepsFile : IDisposable
{
    private readonly string? _temporary; // a file

    private InnerDepsFile(string path, string? temporary, IReadOnlyList<string> rolledForward)
    {
        Path = path;
        _temporary = temporary;
        RolledForward = rolledForward;
    }

    /// <summary>The deps file to pass to <c>dotnet exec --depsfile</c>.</summary>
    public string Path { get; }

    /// <summary>The packages rolled forward to the tool's patch, as <c>name app-version → tool-version</c>; empty when none.</summary>
    public IReadOnlyList<string> RolledForward { get; }

    /// <summary>The app's deps file, or a rolled-forward copy beside it in the build output (deleted on dispose).</summary>
    public static InnerDepsFile For(ProjectMetadata startup)
    {
        var toolDeps = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(InnerDepsFile).Assembly.Location)!, "dotnet-safe-migrate.deps.json");
        var tool = AppEfVersion.ReadLibraries(toolDeps);
        var app = AppEfVersion.ReadLibraries(startup.DepsFile);
        var older = app
            .Where(a => tool.TryGetValue(a.Key, out var t) && IsOlderPatch(a.Value, t))
            .ToDictionary(a => a.Key + "/" + a.Value, a => $"{a.Key} {a.Value} → {tool[a.Key]}", StringComparer.OrdinalIgnoreCase);
        if (older.Count == 0)
        {
            return new InnerDepsFile(startup.DepsFile, null, []);
        }

        var root = JsonNode.Parse(File.ReadAllText(startup.DepsFile))!;
        foreach (var target in root["targets"]?.AsObject() ?? [])
        {
            foreach (var library in target.Value?.AsObject() ?? [])
            {
                if (older.ContainsKey(library.Key) && library.Value is JsonObject entry)
                {
                    entry.Remove("runtime");
                }
            }
        }

        // Beside the app's own deps file: the host resolves the app's local assemblies relative to it.
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(startup.DepsFile)!, $"{startup.AssemblyName}.safe-migrate-{Guid.NewGuid():N}.deps.json");
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new InnerDepsFile(path, path, older.Values.Order(StringComparer.Ordinal).ToList());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_temporary is not null)
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A stray copy in the build output is harmless: nothing reads it.
            }
        }
    }

    private static bool IsOlderPatch(string app, string tool) =>
        Version.TryParse(app.Split('-')[0], out var a) && Version.TryParse(tool.Split('-')[0], out var t) && a.Major == t.Major && a < t;
}
