using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace EfSafeMigrate.Tool.Projects;

/// <summary>
/// The MSBuild properties of a project (<see cref="ProjectMetadata"/>) kept from the last <c>dotnet msbuild -getProperty</c>
/// (about 1 s of CPU per command) so that a command run with <c>--no-build</c> can reuse them while nothing that can
/// change them changed. One JSON file per project and set of global properties in the project's
/// <c>obj/safe-migrate/metadata/</c> (never under source control), written atomically; a missing, unreadable or foreign
/// entry is a miss, and writing it is best effort.
/// </summary>
/// <remarks>
/// The entry holds a SHA-256 key of everything an evaluation of those properties reads besides the SDK's own files
/// (only the digest is stored, never the inputs, which may include secrets from the environment):
/// <list type="bullet">
/// <item>the project file, its <c>.user</c> file, and every <c>Directory.Build.props</c>, <c>Directory.Build.targets</c>,
/// <c>Directory.Build.rsp</c>, <c>Directory.Packages.props</c>, <c>global.json</c> and <c>NuGet.config</c> from the
/// project's folder up to the root (their contents, and which of them exist);</item>
/// <item>every file those files <c>&lt;Import&gt;</c> (recursively) whose path is literal or built from
/// <c>$(MSBuildThisFileDirectory)</c>, <c>$(MSBuildThisFileFullPath)</c> or <c>$(MSBuildProjectDirectory)</c>;
/// <c>GetPathOfFileAbove</c> of one of the names above is covered by the walk; an <c>Sdk</c> import by the SDK. A
/// project with any other import is not cached (<see cref="Key"/> says why);</item>
/// <item>the restore output MSBuild imports (<c>MSBuildProjectExtensionsPath</c>: <c>project.assets.json</c> and its
/// <c>*.props</c>/<c>*.targets</c>);</item>
/// <item>the global properties (configuration, target framework, runtime identifier);</item>
/// <item>the SDK: the <c>dotnet</c> host, the names in its <c>sdk</c> folder, and the first <c>global.json</c> from the
/// current folder up (the host picks the SDK with it), or that there is none: a command run from another folder with
/// the same <c>global.json</c> above it, or none, uses the entry;</item>
/// <item>the environment variables MSBuild reads as properties that can matter: every <c>MSBUILD*</c>, <c>DOTNET_*</c>
/// and <c>NUGET_*</c> one, the usual build properties (<c>Configuration</c>, <c>Platform</c>, output paths, ...) and
/// every name the files above reference as <c>$(Name)</c> or <c>GetEnvironmentVariable('Name')</c>.</item>
/// </list>
/// Files tested with <c>Exists('...')</c> in a condition count as imports: resolved the same way (their existence and
/// content are in the key), and a project with a condition the cache cannot resolve is not cached.
/// </remarks>
internal static class ProjectMetadataCache
{
    private const string Format = "safe-migrate project-metadata 1";

    private static readonly string[] WalkedNames =
    [
        "Directory.Build.props", "Directory.Build.targets", "Directory.Build.rsp", "Directory.Packages.props",
        "global.json", "NuGet.config", "nuget.config", "NuGet.Config",
    ];

    private static readonly string[] PropertyVariables =
    [
        "Configuration", "Platform", "TargetFramework", "TargetFrameworks", "RuntimeIdentifier", "OutDir", "OutputPath",
        "BaseOutputPath", "BaseIntermediateOutputPath", "IntermediateOutputPath", "AssemblyName", "RootNamespace",
        "UseArtifactsOutput", "ArtifactsPath", "Version",
    ];

    /// <summary><c>$(Name)</c>, or <c>GetEnvironmentVariable('Name')</c> in a property function.</summary>
    private static readonly Regex PropertyReference = new(
        @"\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)|GetEnvironmentVariable\(\s*'([^']+)'", RegexOptions.CultureInvariant);

    /// <summary><c>Exists('path')</c> in a condition.</summary>
    private static readonly Regex ExistsCondition = new(@"Exists\(\s*'([^']*)'\s*\)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex PathOfFileAbove = new(
        @"^\$\(\[MSBuild\]::GetPathOfFileAbove\(\s*'?([^',)]+)'?\s*(,.*)?\)\)$", RegexOptions.CultureInvariant);

    /// <summary>The outcome of a look-up, for <c>--verbose</c>.</summary>
    /// <param name="Metadata">The cached properties on a hit; null on a miss.</param>
    /// <param name="Explanation">Why it was a hit or a miss, naming the entry file.</param>
    public sealed record Lookup(ProjectMetadata? Metadata, string Explanation);

    /// <summary>Full path of the entry for a project and its global properties: <c>&lt;project folder&gt;/obj/safe-migrate/metadata/&lt;file&gt;.&lt;digest&gt;.json</c>.</summary>
    public static string EntryPath(string projectFile, string? configuration, string? framework, string? runtime)
    {
        var name = Digest($"{projectFile}\n{configuration}\n{framework}\n{runtime}")[..16];
        return Path.Combine(Path.GetDirectoryName(projectFile)!, "obj", "safe-migrate", "metadata", $"{Path.GetFileName(projectFile)}.{name}.json");
    }

    /// <summary>Reads the entry and returns its metadata when its key matches the files and environment now.</summary>
    /// <param name="currentDirectory">The folder the command runs in (the host finds its global.json from there); the process's when null.</param>
    public static Lookup TryRead(string projectFile, string? configuration, string? framework, string? runtime, string? currentDirectory = null)
    {
        var path = EntryPath(projectFile, configuration, framework, runtime);
        Entry? entry;
        try
        {
            if (!File.Exists(path))
            {
                return new Lookup(null, $"no cached project metadata ({path})");
            }

            entry = JsonSerializer.Deserialize<Entry>(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return new Lookup(null, $"the cached project metadata ({path}) is unreadable: {ex.Message}");
        }

        if (entry is not { Format: Format, Key.Length: > 0, Metadata: not null, Metadata.ProjectFile: not null }
            || entry.Metadata.ProjectFile != projectFile)
        {
            return new Lookup(null, $"the cached project metadata ({path}) is not an entry of this version for this project");
        }

        var (key, inputs, reason) = Inputs(projectFile, configuration, framework, runtime, entry.ExtensionsPath, currentDirectory);
        if (key is null)
        {
            return new Lookup(null, reason!);
        }

        return key == entry.Key
            ? new Lookup(entry.Metadata.ToMetadata(), $"project metadata read from the cache ({path}); MSBuild was not run")
            : new Lookup(null, $"the cached project metadata ({path}) is out of date: {Changed(entry.Inputs, inputs!)}");
    }

    /// <summary>
    /// What differs between the inputs an entry was written with and the inputs now, for the <c>--verbose</c> line: the
    /// first changed, added or removed input (a file's path, an environment variable's name — never its value).
    /// </summary>
    private static string Changed(IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string> now)
    {
        if (before is null)
        {
            return "the project, its imports, its restore output, the SDK or the environment changed";
        }

        var changed = now.Where(input => !before.TryGetValue(input.Key, out var digest) || digest != input.Value).Select(input => input.Key)
            .Concat(before.Keys.Where(label => !now.ContainsKey(label)))
            .Distinct()
            .ToList();
        return changed.Count switch
        {
            0 => "the key's format changed",
            1 => $"{changed[0]} changed",
            _ => $"{changed[0]} and {changed.Count - 1} other input(s) changed",
        };
    }

    /// <summary>Writes the entry for metadata just read with MSBuild. Best effort: returns what happened, never throws for I/O.</summary>
    /// <param name="extensionsPath">MSBuild's <c>MSBuildProjectExtensionsPath</c> of the evaluation (the restore output folder).</param>
    /// <param name="currentDirectory">The folder the command runs in; the process's when null.</param>
    public static string Write(
        ProjectMetadata metadata, string? configuration, string? framework, string? runtime, string extensionsPath, string? currentDirectory = null)
    {
        var projectFile = metadata.ProjectFile;
        var objFolder = Path.Combine(Path.GetDirectoryName(projectFile)!, "obj");
        if (!Directory.Exists(objFolder))
        {
            return $"project metadata not cached: the project has no obj folder ({objFolder})";
        }

        var (key, inputs, reason) = Inputs(projectFile, configuration, framework, runtime, extensionsPath, currentDirectory);
        if (key is null)
        {
            return reason!;
        }

        var path = EntryPath(projectFile, configuration, framework, runtime);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(new Entry(Format, key, extensionsPath, CachedMetadata.From(metadata), inputs)));
            File.Move(temporary, path, overwrite: true);
            return $"project metadata cached ({path})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"project metadata not cached ({path}): {ex.Message}";
        }
    }

    /// <summary>
    /// The SHA-256 key (hex) of everything the evaluation depends on (see the class remarks) with the inputs it was computed
    /// from — each input's label (a file's path, <c>the environment variable NAME</c>, <c>the installed SDK VERSION</c>, ...)
    /// and a digest of its value, so that a miss can name what changed without storing an environment variable's value —
    /// or null and the reason when the project cannot be cached soundly (an import the cache cannot resolve, an unreadable
    /// project file).
    /// </summary>
    /// <param name="extensionsPath">The restore output folder (<c>MSBuildProjectExtensionsPath</c>); relative to the project folder when not rooted.</param>
    private static (string? Key, Dictionary<string, string>? Inputs, string? Reason) Inputs(
        string projectFile, string? configuration, string? framework, string? runtime, string? extensionsPath, string? currentDirectory)
    {
        var projectDir = Path.GetDirectoryName(projectFile)!;
        var text = new StringBuilder();
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string label, string? value)
        {
            text.Append(label).Append(' ').Append(value).Append('\n');
            inputs[label] = Digest(value ?? string.Empty)[..16];
        }

        text.Append(Format).Append('\n');
        Add("the tool version", typeof(ProjectMetadataCache).Assembly.GetName().Version?.ToString());
        Add("the configuration, framework or runtime", $"{configuration}|{framework}|{runtime}");

        // The SDK: the host, the SDKs installed, the global.json files that pick one from the current folder.
        var host = DotNetCli.HostPath;
        var hostFull = File.Exists(host) ? Path.GetFullPath(new FileInfo(host).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? host) : host;
        Add("the dotnet host", hostFull);
        var sdkFolder = Path.Combine(Path.GetDirectoryName(hostFull) ?? string.Empty, "sdk");
        if (Directory.Exists(sdkFolder))
        {
            foreach (var sdk in Directory.GetDirectories(sdkFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal))
            {
                Add($"the installed SDK {sdk}", sdk);
            }
        }

        var files = new SortedDictionary<string, bool>(StringComparer.Ordinal); // path → parse its imports
        files[projectFile] = true;
        files[projectFile + ".user"] = true;
        foreach (var dir in Ancestors(projectDir))
        {
            foreach (var name in WalkedNames)
            {
                files[Path.Combine(dir, name)] = name.EndsWith(".props", StringComparison.Ordinal) || name.EndsWith(".targets", StringComparison.Ordinal);
            }
        }

        // The host uses the first global.json it finds from the current folder up (hostfxr's SDK resolution): that
        // file, or that there is none, is the input; not the current folder, which may differ from run to run.
        var sdkPicker = Ancestors(currentDirectory ?? Directory.GetCurrentDirectory()).Select(dir => Path.Combine(dir, "global.json")).FirstOrDefault(File.Exists);
        Add("the global.json that picks the SDK from the current folder", sdkPicker ?? "none");
        if (sdkPicker is not null)
        {
            files.TryAdd(sdkPicker, false);
        }

        if (!string.IsNullOrEmpty(extensionsPath))
        {
            var extensions = Path.GetFullPath(Path.Combine(projectDir, extensionsPath));
            Add("the restore output folder", extensions);
            files.TryAdd(Path.Combine(extensions, "project.assets.json"), false);
            if (Directory.Exists(extensions))
            {
                foreach (var file in Directory.EnumerateFiles(extensions, "*.props").Concat(Directory.EnumerateFiles(extensions, "*.targets")))
                {
                    files.TryAdd(file, false);
                }
            }
        }

        // The files, following imports; every $(Name) they use names an environment variable that may matter.
        var referenced = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<string>(files.Where(f => f.Value).Select(f => f.Key));
        var seen = new HashSet<string>(files.Keys, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var file = pending.Dequeue();
            if (!File.Exists(file))
            {
                continue;
            }

            var (imports, probed, names, reason) = ReadImports(file, projectFile);
            if (reason is not null)
            {
                return (null, null, reason);
            }

            referenced.UnionWith(names);
            foreach (var import in imports.Where(seen.Add))
            {
                files[import] = true;
                pending.Enqueue(import);
            }

            foreach (var path in probed.Where(seen.Add))
            {
                files[path] = false;
            }
        }

        foreach (var file in files.Keys)
        {
            try
            {
                Add(file, File.Exists(file) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))) : "-");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, null, $"project metadata not cached: {file} is unreadable ({ex.Message})");
            }
        }

        // Environment variables MSBuild reads as properties (names are case-insensitive there).
        var variables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            var name = (string)variable.Key;
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase)
                || PropertyVariables.Contains(name, StringComparer.OrdinalIgnoreCase)
                || referenced.Contains(name))
            {
                variables[name] = variable.Value as string ?? string.Empty;
            }
        }

        foreach (var (name, value) in variables)
        {
            Add($"the environment variable {name}", value);
        }

        return (Digest(text.ToString()), inputs, null);
    }

    /// <summary>
    /// The files an MSBuild file imports and the files its conditions test with <c>Exists</c> (full paths), the property
    /// names it references, or why they cannot be followed.
    /// </summary>
    private static (List<string> Imports, List<string> Probed, List<string> Names, string? Reason) ReadImports(string file, string projectFile)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(file);
        }
        catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException)
        {
            return ([], [], [], $"project metadata not cached: {file} cannot be read as MSBuild XML ({ex.Message})");
        }

        var names = document.Descendants().SelectMany(e => e.Attributes().Select(a => a.Value).Append(e.HasElements ? string.Empty : e.Value))
            .SelectMany(value => PropertyReference.Matches(value).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .ToList();
        var imports = new List<string>();
        var probed = new List<string>();
        var folder = Path.GetDirectoryName(file)! + Path.DirectorySeparatorChar;
        foreach (var import in document.Descendants().Where(e => e.Name.LocalName == "Import"))
        {
            if (import.Attribute("Sdk") is not null)
            {
                continue; // an SDK's own file: part of the SDK (the key holds the installed SDKs and global.json)
            }

            var value = (import.Attribute("Project")?.Value ?? string.Empty).Trim();
            var above = PathOfFileAbove.Match(value);
            if (above.Success && WalkedNames.Contains(above.Groups[1].Value.Trim(), StringComparer.Ordinal))
            {
                continue; // a Directory.* file above: every one of them is in the key already
            }

            var path = Resolve(value, folder, file, projectFile);
            if (path is null)
            {
                return ([], [], [], $"project metadata not cached: {file} imports '{value}', which the cache cannot resolve without MSBuild");
            }

            imports.Add(path);
        }

        // A condition on whether a file exists: the file's existence (and content) is part of the key.
        foreach (var condition in document.Descendants().Select(e => e.Attribute("Condition")?.Value).OfType<string>())
        {
            foreach (Match exists in ExistsCondition.Matches(condition))
            {
                var value = exists.Groups[1].Value.Trim();
                var path = Resolve(value, folder, file, projectFile);
                if (path is null)
                {
                    return ([], [], [], $"project metadata not cached: {file} has a condition Exists('{value}'), which the cache cannot resolve without MSBuild");
                }

                probed.Add(path);
            }
        }

        return (imports, probed, names, null);
    }

    /// <summary>A path literal or built from the current file's folder or path or the project's folder; null otherwise.</summary>
    private static string? Resolve(string value, string folder, string file, string projectFile)
    {
        var path = value
            .Replace("$(MSBuildThisFileDirectory)", folder, StringComparison.OrdinalIgnoreCase)
            .Replace("$(MSBuildThisFileFullPath)", file, StringComparison.OrdinalIgnoreCase)
            .Replace("$(MSBuildProjectDirectory)", Path.GetDirectoryName(projectFile), StringComparison.OrdinalIgnoreCase);
        return path.Length == 0 || path.IndexOfAny(['$', '@', '%', '*', '?', ';']) >= 0
            ? null
            : Path.GetFullPath(Path.Combine(folder, path));
    }

    private static IEnumerable<string> Ancestors(string folder)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }

    private static string Digest(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();

    private sealed record Entry(string Format, string Key, string? ExtensionsPath, CachedMetadata? Metadata, Dictionary<string, string>? Inputs = null);

    private sealed record CachedMetadata(
        string? ProjectFile,
        string ProjectDir,
        string AssemblyName,
        string RootNamespace,
        string TargetDir,
        string TargetPath,
        string DepsFile,
        string RuntimeConfigFile,
        List<string> PackageFolders,
        string RuntimeFrameworkVersion)
    {
        public static CachedMetadata From(ProjectMetadata m) => new(
            m.ProjectFile, m.ProjectDir, m.AssemblyName, m.RootNamespace, m.TargetDir, m.TargetPath, m.DepsFile,
            m.RuntimeConfigFile, [.. m.PackageFolders], m.RuntimeFrameworkVersion);

        public ProjectMetadata ToMetadata() => new(
            ProjectFile!, ProjectDir, AssemblyName, RootNamespace, TargetDir, TargetPath, DepsFile, RuntimeConfigFile,
            PackageFolders, RuntimeFrameworkVersion);
    }
}
