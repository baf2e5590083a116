namespace EfSafeMigrate.Integrity;

/// <summary>
/// A C# source file as the integrity checks read it: from the working tree, git's index or a
/// commit. Never compiled; read as text.
/// </summary>
/// <param name="Path">Path relative to the repository or project root, with <c>/</c> separators.</param>
/// <param name="Content">The file's text.</param>
internal sealed record SourceFile(string Path, string Content)
{
    /// <summary>The folder part of <see cref="Path"/> (empty for a file at the root).</summary>
    public string Folder => Path.LastIndexOf('/') is var i and >= 0 ? Path[..i] : string.Empty;

    /// <summary>The file name part of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
