using System.Reflection;

namespace EfSafeMigrate.Tool;

/// <summary>Facts about this tool.</summary>
internal static class ToolInfo
{
    /// <summary>The tool's version (informational version without source-control metadata).</summary>
    public static string Version { get; } =
        (typeof(ToolInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];
}
