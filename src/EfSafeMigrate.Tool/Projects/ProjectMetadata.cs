namespace EfSafeMigrate.Tool.Projects;

/// <summary>The MSBuild properties of a project that the tool needs to load it (read with <c>dotnet msbuild -getProperty</c>).</summary>
/// <param name="ProjectFile">Full path of the project file.</param>
/// <param name="ProjectDir">Project folder, with a trailing separator.</param>
/// <param name="AssemblyName">Assembly name, without extension.</param>
/// <param name="RootNamespace">Root namespace.</param>
/// <param name="TargetDir">Output folder of the build, with a trailing separator.</param>
/// <param name="TargetPath">Full path of the built assembly.</param>
/// <param name="DepsFile">Full path of <c>&lt;assembly&gt;.deps.json</c>.</param>
/// <param name="RuntimeConfigFile">Full path of <c>&lt;assembly&gt;.runtimeconfig.json</c>.</param>
/// <param name="PackageFolders">NuGet package folders the app resolves packages from.</param>
/// <param name="RuntimeFrameworkVersion">
/// The <c>Microsoft.NETCore.App</c> version the project runs on (MSBuild <c>RuntimeFrameworkVersion</c>, else
/// <c>BundledNETCoreAppPackageVersion</c>); used as <c>dotnet exec --fx-version</c> when the project has no
/// runtimeconfig file (a class library), as <c>dotnet ef</c> does. Empty when MSBuild did not say.
/// </param>
internal sealed record ProjectMetadata(
    string ProjectFile,
    string ProjectDir,
    string AssemblyName,
    string RootNamespace,
    string TargetDir,
    string TargetPath,
    string DepsFile,
    string RuntimeConfigFile,
    IReadOnlyList<string> PackageFolders,
    string RuntimeFrameworkVersion = "")
{
    /// <summary>True when the build wrote a runtimeconfig file (an executable); false for a class library.</summary>
    public bool HasRuntimeConfig => File.Exists(RuntimeConfigFile);
}
