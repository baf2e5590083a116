namespace EfSafeMigrate.Design.Merge;

/// <summary>What to write for a merge migration.</summary>
/// <param name="Id">The migration id (<see cref="MergeMigrationId"/>).</param>
/// <param name="Name">The migration's name, which is its class name.</param>
/// <param name="Fork">The fork it joins; its files go beside the newer head's.</param>
/// <param name="ProjectDir">The migrations project's folder.</param>
/// <param name="RootNamespace">The project's root namespace.</param>
internal sealed record MergeMigrationRequest(string Id, string Name, MigrationFork Fork, string ProjectDir, string RootNamespace);
