using System.Text.RegularExpressions;

namespace EfSafeMigrate.Integrity;

/// <summary>What <see cref="MigrationSourceScanner"/> found in a set of source files.</summary>
/// <param name="Migrations">Classes deriving from <c>Migration</c>, by folder then id (ids null last).</param>
/// <param name="Snapshots">Classes deriving from <c>ModelSnapshot</c>.</param>
public sealed record MigrationScan(IReadOnlyList<MigrationSource> Migrations, IReadOnlyList<ModelSnapshotSource> Snapshots)
{
    /// <summary>Folders that hold migrations or a model snapshot, ordinally sorted.</summary>
    public IReadOnlyList<string> Folders =>
        Migrations.Select(m => m.Folder).Concat(Snapshots.Select(s => s.Path.LastIndexOf('/') is var i and >= 0 ? s.Path[..i] : string.Empty))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// Finds EF Core migrations and model snapshots in C# source without compiling it, by reading
/// class declarations and the attributes before them (<c>[DbContext(typeof(X))]</c>,
/// <c>[Migration("id")]</c>), the way EF Core's migrations assembly would discover them: a
/// migration is a class deriving from <c>Migration</c> with a <c>[Migration]</c> attribute on
/// any of its partial parts (normally the designer file; some projects keep both attributes in
/// the migration file and have no designer). Fast enough for a pre-commit hook: one regex pass
/// per file that mentions a migration or snapshot.
/// </summary>
public static partial class MigrationSourceScanner
{
    /// <summary>Scans files; files that mention neither <c>Migration</c> nor <c>ModelSnapshot</c> are skipped unread.</summary>
    public static MigrationScan Scan(IEnumerable<SourceFile> files) => Scan(files.Where(IsCandidate).Select(ScanFile));

    /// <summary>True for a C# file that may declare a migration or a model snapshot (others need no scan).</summary>
    public static bool IsCandidate(SourceFile file)
        => file.Path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)
           && (file.Content.Contains("Migration", StringComparison.Ordinal) || file.Content.Contains("ModelSnapshot", StringComparison.Ordinal));

    /// <summary>Reads one file: its digest, relevant class declarations and conflict marker lines.</summary>
    public static FileScan ScanFile(SourceFile file)
        => new(file.Path, MigrationHasher.FileDigest(file.Content), ReadClasses(file.Content).ToList(), ConflictMarkerLines(file.Content));

    /// <summary>Groups per-file scans into migrations (partial classes joined per folder) and snapshots.</summary>
    public static MigrationScan Scan(IEnumerable<FileScan> files)
    {
        var parts = files.SelectMany(f => f.Classes.Select(c => (File: f, Class: c))).ToList();
        var migrations = new List<MigrationSource>();
        var snapshots = new List<ModelSnapshotSource>();
        foreach (var group in parts.GroupBy(p => (p.File.Folder, p.Class.FullName)))
        {
            var all = group.ToList();
            var context = all.Select(p => p.Class.Context).FirstOrDefault(c => c is not null);
            if (all.Any(p => p.Class.Base == "ModelSnapshot"))
            {
                foreach (var part in all.Where(p => p.Class.Base == "ModelSnapshot"))
                {
                    snapshots.Add(new ModelSnapshotSource(part.File.Path, context, part.File.ConflictMarkerLines));
                }

                continue;
            }

            if (!all.Any(p => p.Class.Base == "Migration"))
            {
                continue; // a partial part of something else, or a designer whose migration file is gone (it would not compile)
            }

            var first = all.OrderBy(p => p.Class.Base == "Migration" ? 0 : 1).ThenBy(p => p.File.Path, StringComparer.Ordinal).First();
            var fileList = all.Select(p => p.File).DistinctBy(f => f.Path).OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
            migrations.Add(new MigrationSource(
                all.Select(p => p.Class.MigrationId).FirstOrDefault(id => id is not null),
                group.Key.FullName,
                context,
                group.Key.Folder,
                fileList.Select(f => f.Path).ToList(),
                MigrationHasher.Combine(fileList.Select(f => (f.Name, f.Digest))),
                first.File.Path,
                first.Class.Line));
        }

        return new MigrationScan(
            migrations.OrderBy(m => m.Folder, StringComparer.Ordinal).ThenBy(m => m.Id is null).ThenBy(m => m.Id, StringComparer.Ordinal).ThenBy(m => m.ClassName, StringComparer.Ordinal).ToList(),
            snapshots.OrderBy(s => s.Path, StringComparer.Ordinal).ToList());
    }

    /// <summary>1-based lines that start with a git conflict marker.</summary>
    public static IReadOnlyList<int> ConflictMarkerLines(string content)
    {
        var lines = new List<int>();
        foreach (Match match in ConflictMarker().Matches(content))
        {
            lines.Add(LineOf(content, match.Index));
        }

        return lines;
    }

    private static IEnumerable<ClassDeclaration> ReadClasses(string content)
    {
        var namespaceName = NamespaceDeclaration().Match(content) is { Success: true } ns ? ns.Groups["name"].Value : null;
        var previousEnd = 0;
        foreach (Match match in ClassDeclarationPattern().Matches(content))
        {
            // Attributes of this class: between the previous class declaration and this one.
            var attributes = content[previousEnd..match.Index];
            previousEnd = match.Index + match.Length;
            var name = match.Groups["name"].Value;
            var declaration = new ClassDeclaration(
                namespaceName is null ? name : namespaceName + "." + name,
                BaseKind(match.Groups["bases"].Value),
                MigrationAttribute().Match(attributes) is { Success: true } m ? m.Groups["id"].Value : null,
                DbContextAttribute().Match(attributes) is { Success: true } c ? ShortName(c.Groups["type"].Value) : null,
                LineOf(content, match.Index + match.Value.IndexOf("class", StringComparison.Ordinal)));
            if (declaration.Base is not null || declaration.MigrationId is not null || declaration.Context is not null)
            {
                yield return declaration;
            }
        }
    }

    private static string? BaseKind(string baseList)
    {
        foreach (var type in baseList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var shortName = ShortName(type);
            if (shortName is "Migration" or "ModelSnapshot")
            {
                return shortName;
            }
        }

        return null;
    }

    private static string ShortName(string typeName)
    {
        var name = typeName.Trim();
        if (name.StartsWith("global::", StringComparison.Ordinal))
        {
            name = name["global::".Length..];
        }

        return name[(name.LastIndexOf('.') + 1)..];
    }

    private static int LineOf(string content, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < content.Length; i++)
        {
            if (content[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    [GeneratedRegex(@"^[ \t]*namespace[ \t]+(?<name>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^[ \t]*(?:(?:public|internal|private|protected|sealed|partial|abstract|static|file|unsafe)[ \t]+)*class[ \t]+(?<name>\w+)(?:[ \t]*<[^>\r\n]*>)?[ \t]*(?::(?<bases>[^{\r\n]*))?", RegexOptions.Multiline)]
    private static partial Regex ClassDeclarationPattern();

    [GeneratedRegex(@"\[[^\]]*?\b(?:[\w.]+\.)?Migration(?:Attribute)?[ \t]*\([ \t]*@?""(?<id>[^""]+)""[ \t]*\)")]
    private static partial Regex MigrationAttribute();

    [GeneratedRegex(@"\[[^\]]*?\b(?:[\w.]+\.)?DbContext(?:Attribute)?[ \t]*\([ \t]*typeof[ \t]*\([ \t]*(?<type>[\w.:]+)[ \t]*\)[ \t]*\)")]
    private static partial Regex DbContextAttribute();

    [GeneratedRegex(@"^(?:<{7}(?:[ \t].*)?|={7}|>{7}(?:[ \t].*)?)\r?$", RegexOptions.Multiline)]
    private static partial Regex ConflictMarker();
}
