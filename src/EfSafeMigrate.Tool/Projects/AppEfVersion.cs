using System.Reflection;
using System.Text.Json;

namespace EfSafeMigrate.Tool.Projects;

/// <summary>
/// The EF Core and Npgsql provider versions an application is built on, read from its <c>deps.json</c>
/// (<c>libraries</c>: <c>"Microsoft.EntityFrameworkCore/10.0.14"</c>), and the rule for which ones the tool runs
/// with. The inner process runs the tool's code on the application's own EF Core and Npgsql assemblies, and the
/// tool is compiled against EF Core 10 (including EF Core Design's and the migrator's <c>.Internal</c> types):
/// every 10.0.x patch of EF Core and of Npgsql.EntityFrameworkCore.PostgreSQL works (EF Core keeps assembly
/// version 10.0.0.0 across patches); another major version fails to load, so it is refused before starting.
/// </summary>
internal static class AppEfVersion
{
    /// <summary>The major version of EF Core and of the Npgsql provider the tool supports.</summary>
    public const int SupportedMajor = 10;

    /// <summary>The supported range, in words.</summary>
    public const string SupportedRange = "EF Core 10.0.x with Npgsql.EntityFrameworkCore.PostgreSQL 10.0.x";

    /// <summary>The EF Core version the tool is compiled against (e.g. <c>10.0.14</c>).</summary>
    public static string ToolEfCoreVersion { get; } =
        (typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "10.0").Split('+')[0];

    /// <summary>Refuses an application whose EF Core or Npgsql provider is not of the supported major version.</summary>
    /// <exception cref="CommandException">The application uses EF Core or Npgsql.EntityFrameworkCore.PostgreSQL of another major version (exit code 2).</exception>
    public static void EnsureSupported(ProjectMetadata startup)
    {
        var libraries = ReadLibraries(startup.DepsFile);
        var efCore = libraries.GetValueOrDefault("Microsoft.EntityFrameworkCore");
        var npgsql = libraries.GetValueOrDefault("Npgsql.EntityFrameworkCore.PostgreSQL");
        if (IsSupported(efCore) && IsSupported(npgsql))
        {
            return;
        }

        var uses = efCore is null ? "no EF Core package" : $"EF Core {efCore}";
        if (npgsql is not null)
        {
            uses += $" with Npgsql.EntityFrameworkCore.PostgreSQL {npgsql}";
        }

        throw new CommandException(ExitCodes.UsageError,
            $"The application '{startup.AssemblyName}' uses {uses} (from {Path.GetFileName(startup.DepsFile)}), and dotnet-safe-migrate {ToolInfo.Version} is built on EF Core {ToolEfCoreVersion}: " +
            $"it supports applications on {SupportedRange}. Upgrade the application's EF Core and Npgsql packages to 10.0.x (then build), or use the startup project that references them with -s.");
    }

    /// <summary>Package name → version of every library in a deps.json file (empty when the file cannot be read).</summary>
    public static IReadOnlyDictionary<string, string> ReadLibraries(string depsFile)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(depsFile));
            if (document.RootElement.TryGetProperty("libraries", out var libraries))
            {
                foreach (var library in libraries.EnumerateObject())
                {
                    var slash = library.Name.IndexOf('/');
                    if (slash > 0)
                    {
                        result[library.Name[..slash]] = library.Name[(slash + 1)..];
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            // Not readable: the inner process reports what fails to load.
        }

        return result;
    }

    // Null (the package is absent: e.g. a startup project whose EF Core comes through a project reference that the
    // deps file lists as a project) is left to the inner process.
    private static bool IsSupported(string? version) =>
        version is null || (Version.TryParse(version.Split('-')[0], out var v) && v.Major == SupportedMajor);
}
