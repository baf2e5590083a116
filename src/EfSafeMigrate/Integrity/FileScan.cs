namespace EfSafeMigrate.Integrity;

/// <summary>A class declaration as the scanner reads it from one file.</summary>
/// <param name="FullName">Class name with its namespace, when one is declared.</param>
/// <param name="Base">"Migration", "ModelSnapshot", or null for any other base.</param>
/// <param name="MigrationId">The id of a <c>[Migration("...")]</c> attribute before it, or null.</param>
/// <param name="Context">Short DbContext name of a <c>[DbContext(typeof(...))]</c> attribute before it, or null.</param>
/// <param name="Line">1-based line of the declaration.</param>
/// <param name="BaseName">Short name of the first type in its base list (generic arguments dropped), or null when it has none; used to follow intermediate base classes (<c>Init : DBScriptsMigration</c>, <c>DBScriptsMigration : Migration</c>).</param>
/// <param name="IsAbstract">True when declared <c>abstract</c> (EF Core never instantiates it, so it is not a migration).</param>
internal sealed record ClassDeclaration(string FullName, string? Base, string? MigrationId, string? Context, int Line, string? BaseName = null, bool IsAbstract = false);

/// <summary>
/// What the scanner reads from one C# file: its digest (for migration hashes) and the class
/// declarations relevant to migrations. Depends only on the file's content, so it can be cached
/// by git blob id or by size and modification time.
/// </summary>
/// <param name="Path">Path of the file (relative, <c>/</c>-separated).</param>
/// <param name="Digest">SHA-256 of the content with line endings normalised (<see cref="MigrationHasher.FileDigest"/>), lower-case hex.</param>
/// <param name="Classes">The class declarations of the file, in file order.</param>
/// <param name="ConflictMarkerLines">1-based lines holding git conflict markers, in order.</param>
internal sealed record FileScan(string Path, string Digest, IReadOnlyList<ClassDeclaration> Classes, IReadOnlyList<int> ConflictMarkerLines)
{
    /// <summary>The folder part of <see cref="Path"/>.</summary>
    public string Folder => Path.LastIndexOf('/') is var i and >= 0 ? Path[..i] : string.Empty;

    /// <summary>The file name part of <see cref="Path"/>.</summary>
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}
