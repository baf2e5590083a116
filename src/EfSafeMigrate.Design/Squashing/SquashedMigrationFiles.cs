using EfSafeMigrate.Squashing;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>The files a squash wrote.</summary>
/// <param name="MigrationFile">Full path of the migration file (<c>&lt;id&gt;.cs</c>).</param>
/// <param name="MetadataFile">Full path of the designer file (<c>&lt;id&gt;.Designer.cs</c>).</param>
public sealed record SquashedMigrationFiles(string MigrationFile, string MetadataFile);
