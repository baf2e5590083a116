using EfSafeMigrate.Tool.Projects;

namespace EfSafeMigrate.Tool.Hosting;

/// <summary>
/// What the outer process tells the inner one about the project, ahead of the user's own
/// arguments: <c>__inner --target-dir D --assembly A --startup-assembly S --project P
/// --project-dir PD --root-namespace R -- &lt;user arguments&gt;</c> (the bridge passes only
/// strings, as <c>dotnet ef</c>'s does).
/// </summary>
/// <param name="TargetDir">Output folder of the startup project (its assemblies are loaded from there).</param>
/// <param name="Assembly">Name of the assembly holding the migrations.</param>
/// <param name="StartupAssembly">Name of the startup project's assembly.</param>
/// <param name="Project">Full path of the migrations project file.</param>
/// <param name="ProjectDir">Folder of the migrations project.</param>
/// <param name="RootNamespace">Root namespace of the migrations project.</param>
internal sealed record InnerHostArguments(string TargetDir, string Assembly, string StartupAssembly, string Project, string ProjectDir, string RootNamespace)
{
    /// <summary>
    /// The arguments for the application's host: those after the user's own <c>--</c> (e.g.
    /// <c>-- --environment Production</c>), passed to <c>CreateHostBuilder(args)</c>, <c>WebApplication.CreateBuilder(args)</c>
    /// or a design-time factory's <c>CreateDbContext(args)</c>, as <c>dotnet ef</c> passes its own. Empty when none were given.
    /// </summary>
    public IReadOnlyList<string> AppArguments { get; init; } = [];

    /// <summary>First argument that switches the tool into the inner process.</summary>
    public const string Marker = "__inner";

    /// <summary>The header for a migrations project and a startup project (the same one without <c>-s</c>).</summary>
    public static InnerHostArguments For(ProjectMetadata project, ProjectMetadata startup) =>
        new(startup.TargetDir, project.AssemblyName, startup.AssemblyName, project.ProjectFile, project.ProjectDir, project.RootNamespace);

    /// <summary>This header with <see cref="AppArguments"/> taken from the user's arguments: those after their first <c>--</c>.</summary>
    public InnerHostArguments WithAppArgumentsOf(IReadOnlyList<string> userArguments)
    {
        var separator = userArguments.ToList().IndexOf("--");
        return this with { AppArguments = separator < 0 ? [] : userArguments.Skip(separator + 1).ToArray() };
    }

    /// <summary>The header arguments, marker first, ending with <c>--</c>.</summary>
    public IEnumerable<string> ToArguments() =>
    [
        Marker, "--target-dir", TargetDir, "--assembly", Assembly, "--startup-assembly", StartupAssembly,
        "--project", Project, "--project-dir", ProjectDir, "--root-namespace", RootNamespace, "--",
    ];

    /// <summary>Parses the header (after the marker); returns it and the user's arguments.</summary>
    /// <exception cref="ArgumentException">The header is malformed (a bug, not a user error).</exception>
    public static (InnerHostArguments Header, string[] UserArguments) Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        var i = 0;
        for (; i < args.Length && args[i] != "--"; i += 2)
        {
            values[args[i]] = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"Missing value for {args[i]}.");
        }

        string Get(string key) => values.TryGetValue(key, out var v) ? v : throw new ArgumentException($"Missing {key}.");
        var header = new InnerHostArguments(Get("--target-dir"), Get("--assembly"), Get("--startup-assembly"), Get("--project"), Get("--project-dir"), Get("--root-namespace"));
        var user = args.Skip(i + 1).ToArray();
        return (header.WithAppArgumentsOf(user), user);
    }
}
