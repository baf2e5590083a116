using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using EfSafeMigrate.Squashing;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Whether the migrations project references the EfSafeMigrate library, which the squashed
/// migration's <c>[Replaces]</c> attribute needs to compile. The tool cannot add a package reference
/// to the user's project, so <c>squash</c> asks for one first. Looked for, in order: the built
/// migrations assembly's references (present once any code uses the library), the project's restore
/// output (<c>obj/project.assets.json</c>: package and project references, transitive ones included),
/// and the project file itself.
/// </summary>
public static class LibraryReference
{
    /// <summary>The library's assembly and package name.</summary>
    public static readonly string Name = typeof(ReplacesAttribute).Assembly.GetName().Name!;

    /// <summary>True when the project references the library.</summary>
    /// <param name="migrationsAssembly">The built migrations assembly.</param>
    /// <param name="projectFile">The migrations project file (its folder holds <c>obj/project.assets.json</c>).</param>
    public static bool IsReferenced(Assembly migrationsAssembly, string projectFile)
    {
        if (migrationsAssembly.GetReferencedAssemblies().Any(a => string.Equals(a.Name, Name, StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        var assets = Path.Combine(Path.GetDirectoryName(projectFile) ?? ".", "obj", "project.assets.json");
        return (File.Exists(assets) && InAssets(assets)) || (File.Exists(projectFile) && InProjectFile(projectFile));
    }

    private static bool InAssets(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.TryGetProperty("libraries", out var libraries)
                   && libraries.EnumerateObject().Any(l => string.Equals(l.Name.Split('/')[0], Name, StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool InProjectFile(string path)
    {
        try
        {
            return XDocument.Load(path).Descendants().Any(e => e.Name.LocalName switch
            {
                "ProjectReference" => string.Equals(Path.GetFileNameWithoutExtension(((string?)e.Attribute("Include") ?? string.Empty).Replace('\\', '/')), Name, StringComparison.OrdinalIgnoreCase),
                "PackageReference" or "Reference" => string.Equals(((string?)e.Attribute("Include") ?? string.Empty).Split(',')[0].Trim(), Name, StringComparison.OrdinalIgnoreCase),
                _ => false,
            });
        }
        catch (Exception ex) when (ex is System.Xml.XmlException or IOException)
        {
            return false;
        }
    }
}
