using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// The deps file the inner process runs with: the app's own, or a copy of it without the runtime assemblies of some
/// packages, so that <see cref="AppAssemblyResolver"/> loads the tool's copies of those packages for both the app and
/// the tool. Two kinds of package are taken from the tool:
/// <list type="bullet">
/// <item><b>An older patch.</b> The tool is compiled against the repository's EF Core 10 patch, and EF Core's assembly
/// version is its full package version (e.g. 10.0.15.0): an app on an older EF Core 10 patch puts 10.0.0.0 in the
/// runtime's trusted assemblies, and the tool's code then fails to load (<c>FileLoadException</c>) or finds a method
/// missing. For every package the tool ships in a newer patch of the same major version than the app uses (EF Core,
/// its Microsoft.Extensions dependencies), the app runs on the newer patch, as NuGet would give it with a higher
/// reference.</item>
/// <item><b>The very same package</b>, when the tool was installed from its platform package (<c>linux-x64</c>), whose
/// assemblies are ReadyToRun-compiled: a package the app uses in exactly the tool's version, with the same SHA-512 in
/// both deps files (NuGet packages are immutable, so the IL is identical), whose only assets are plain runtime
/// assemblies (no <c>runtimeTargets</c>, no <c>native</c>). Loading the tool's precompiled copy instead of the app's
/// IL-only one saves most of the JIT work of each run (EF Core, Npgsql, EF Core Design and Roslyn ship as IL only),
/// which is most of the inner process's start-up. The portable (<c>any</c>) package is not precompiled and changes
/// nothing here.</item>
/// </list>
/// A package the app uses in a newer version, or in the same version with other bits or other assets, is left alone
/// (the app's copy wins). The copy is named by a digest of its content and kept beside the app's deps file, so that
/// concurrent and later runs of the same build share it and a killed run leaves nothing new behind.
/// </summary>
internal sealed class InnerDepsFile
{
    private InnerDepsFile(string path, IReadOnlyList<string> rolledForward, int precompiled)
    {
        Path = path;
        RolledForward = rolledForward;
        Precompiled = precompiled;
    }

    /// <summary>The deps file to pass to <c>dotnet exec --depsfile</c>.</summary>
    public string Path { get; }

    /// <summary>The packages rolled forward to the tool's patch, as <c>name app-version → tool-version</c>; empty when none.</summary>
    public IReadOnlyList<string> RolledForward { get; }

    /// <summary>How many packages, used by the app in the tool's very version, load from the tool's ReadyToRun copies.</summary>
    public int Precompiled { get; }

    /// <summary>
    /// The app's deps file, or the copy without the packages taken from the tool (written beside it once per content:
    /// <c>&lt;AssemblyName&gt;.safe-migrate-&lt;first 16 hex digits of its SHA-256&gt;.deps.json</c>).
    /// </summary>
    /// <exception cref="IOException">The copy cannot be written into the build output.</exception>
    public static InnerDepsFile For(ProjectMetadata startup)
    {
        var toolAssembly = typeof(InnerDepsFile).Assembly.Location;
        var toolDeps = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(toolAssembly)!, "dotnet-safe-migrate.deps.json");
        return For(startup, toolDeps, IsReadyToRun(toolAssembly));
    }

    /// <summary>
    /// <see cref="For(ProjectMetadata)"/> against the tool's deps file <paramref name="toolDeps"/>;
    /// <paramref name="toolIsReadyToRun"/> says whether the tool's assemblies are precompiled (its linux-x64 package).
    /// </summary>
    internal static InnerDepsFile For(ProjectMetadata startup, string toolDeps, bool toolIsReadyToRun)
    {
        // Each deps file is read once; one that cannot be read takes nothing (the host then reports the app's).
        var root = Read(startup.DepsFile);
        if (root is null)
        {
            return new InnerDepsFile(startup.DepsFile, [], 0);
        }

        var app = Libraries(root);
        var tool = Libraries(Read(toolDeps)).DistinctBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var older = app
            .Where(a => tool.TryGetValue(a.Name, out var t) && IsOlderPatch(a.Version, t.Version))
            .ToDictionary(a => a.Key, a => $"{a.Name} {a.Version} → {tool[a.Name].Version}", StringComparer.OrdinalIgnoreCase);
        var identical = toolIsReadyToRun
            ? app.Where(a => a.Sha512 is not null && tool.TryGetValue(a.Name, out var t) && t.Version == a.Version && t.Sha512 == a.Sha512)
                .Select(a => a.Key).ToHashSet(StringComparer.OrdinalIgnoreCase)
            : [];
        if (older.Count == 0 && identical.Count == 0)
        {
            return new InnerDepsFile(startup.DepsFile, [], 0);
        }

        var precompiled = 0;
        foreach (var target in root["targets"]?.AsObject() ?? [])
        {
            foreach (var library in target.Value?.AsObject() ?? [])
            {
                if (library.Value is not JsonObject entry)
                {
                    continue;
                }

                if (older.ContainsKey(library.Key))
                {
                    entry.Remove("runtime");
                }
                else if (identical.Contains(library.Key) && entry.ContainsKey("runtime") && !entry.ContainsKey("runtimeTargets") && !entry.ContainsKey("native"))
                {
                    entry.Remove("runtime");
                    precompiled++;
                }
            }
        }

        // Beside the app's own deps file: the host resolves the app's local assemblies relative to it.
        var content = root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)))[..16];
        var path = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(startup.DepsFile)!, $"{startup.AssemblyName}.safe-migrate-{digest}.deps.json");
        if (!File.Exists(path))
        {
            // Written under a name of its own, then moved into place: a concurrent run never reads half a file.
            var temporary = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }

        return new InnerDepsFile(path, older.Values.Order(StringComparer.Ordinal).ToList(), precompiled);
    }

    private static JsonNode? Read(string depsFile)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(depsFile));
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The "libraries" of a deps file, with their "Name/Version" key and, for packages, their SHA-512 (null for projects).
    private static List<Library> Libraries(JsonNode? root)
    {
        var result = new List<Library>();
        foreach (var (key, value) in root?["libraries"]?.AsObject() ?? [])
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                var sha512 = value?["type"]?.GetValue<string>() == "package" && value["sha512"]?.GetValue<string>() is { Length: > 0 } hash ? hash : null;
                result.Add(new Library(key, key[..slash], key[(slash + 1)..], sha512));
            }
        }

        return result;
    }

    // A ReadyToRun image carries IL plus precompiled code, found through the CLI header's ManagedNativeHeader
    // directory (which points to its READYTORUN_HEADER); an IL-only assembly leaves that directory empty.
    private static bool IsReadyToRun(string assembly)
    {
        try
        {
            using var stream = File.OpenRead(assembly);
            using var reader = new PEReader(stream);
            return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private sealed record Library(string Key, string Name, string Version, string? Sha512);

    private static bool IsOlderPatch(string app, string tool) =>
        Version.TryParse(app.Split('-')[0], out var a) && Version.TryParse(tool.Split('-')[0], out var t) && a.Major == t.Major && a < t;
}
