namespace EfSafeMigrate.Integrity;

/// <summary>
/// One migration as found in source files: the class deriving from EF Core's <c>Migration</c>,
/// possibly split over a migration file and a designer file (partial class).
/// </summary>
/// <param name="Id">The id from its <c>[Migration("...")]</c> attribute; null when it has none (EF Core will never discover it).</param>
/// <param name="ClassName">The class name, with namespace when one is declared.</param>
/// <param name="Context">Short name of the DbContext from <c>[DbContext(typeof(...))]</c>; null when none is given.</param>
/// <param name="Folder">The folder of its files (relative, <c>/</c>-separated).</param>
/// <param name="Files">Paths of the files that declare the class, sorted ordinally.</param>
/// <param name="Hash">SHA-256 of its files with line endings normalised (<see cref="MigrationHasher"/>), lower-case hex.</param>
/// <param name="DeclarationFile">The file that declares the class first (for messages).</param>
/// <param name="DeclarationLine">The 1-based line of that declaration.</param>
internal sealed record MigrationSource(
    string? Id,
    string ClassName,
    string? Context,
    string Folder,
    IReadOnlyList<string> Files,
    string Hash,
    string DeclarationFile,
    int DeclarationLine);
