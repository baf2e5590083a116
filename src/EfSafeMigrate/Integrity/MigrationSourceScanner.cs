using System.Text.RegularExpressions;

namespace EfSafeMigrate.Integrity;

/// <summary>What <see cref="MigrationSourceScanner"/> found in a set of source files.</summary>
/// <param name="Migrations">Classes deriving from <c>Migration</c>, by folder then id (ids null last).</param>
/// <param name="Snapshots">Classes deriving from <c>ModelSnapshot</c>.</param>
internal sealed record MigrationScan(IReadOnlyList<MigrationSource> Migrations, IReadOnlyList<ModelSnapshotSource> Snapshots)
{
    /// <summary>Folders that hold migrations or a model snapshot, ordinally sorted.</summary>
    public IReadOnlyList<string> Folders =>
        Migrations.Select(m => m.Folder).Concat(Snapshots.Select(s => s.Path.LastIndexOf('/') is var i and >= 0 ? s.Path[..i] : string.Empty))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// Finds EF Core migrations and model snapshots in C# source without compiling it, by reading
/// class declarations and the attributes before them (<c>[DbContext(typeof(X))]</c>,
/// <c>[Migration("id")]</c>), the way EF Core's migrations assembly would discover them
/// (<c>MigrationsAssembly.Migrations</c>: constructible types that are subclasses of <c>Migration</c>
/// with a <c>[Migration]</c> attribute): a migration is a non-abstract class deriving from
/// <c>Migration</c>, directly or through base classes declared in the scanned files
/// (<c>Init : DBScriptsMigration</c>, <c>abstract class DBScriptsMigration : Migration</c>), with a
/// <c>[Migration]</c> attribute on any of its partial parts (normally the designer file; some
/// projects keep both attributes in the migration file and have no designer). A class with a
/// <c>[Migration]</c> attribute whose base class is declared in none of the scanned files (another
/// project, a package) is taken as a migration too; abstract classes never are. Fast enough for a
/// pre-commit hook: one regex pass per file that mentions a migration or snapshot.
/// </summary>
internal static partial class MigrationSourceScanner
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
        var hierarchy = new BaseClasses(parts.Select(p => p.Class));
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

            var derives = all.Any(p => p.Class.Base == "Migration")
                ? Ancestry.Migration
                : all.Select(p => hierarchy.Of(p.Class.BaseName)).DefaultIfEmpty(Ancestry.Other).Max();
            var isMigration = derives == Ancestry.Migration || (derives == Ancestry.Unknown && all.Any(p => p.Class.MigrationId is not null));
            if (!isMigration || all.Any(p => p.Class.IsAbstract))
            {
                continue; // a partial part of something else, a designer whose migration file is gone (it would not compile), or an abstract base class
            }

            var first = all.OrderBy(p => p.Class.Base is not null || p.Class.BaseName is not null ? 0 : 1).ThenBy(p => p.File.Path, StringComparer.Ordinal).First();
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
                LineOf(content, match.Index + match.Value.IndexOf("class", StringComparison.Ordinal)),
                FirstBaseName(match.Groups["bases"].Value),
                match.Groups["modifiers"].Value.Contains("abstract", StringComparison.Ordinal));
            yield return declaration; // every class of a candidate file: base classes are followed by name
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

    private static string? FirstBaseName(string baseList)
    {
        var withoutGenerics = GenericArguments().Replace(baseList, string.Empty);
        var first = withoutGenerics.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }

        var end = first.IndexOfAny([' ', '\t', '(']);
        return ShortName(end < 0 ? first : first[..end]) is { Length: > 0 } name ? name : null;
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

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex GenericArguments();

    [GeneratedRegex(@"^[ \t]*(?<modifiers>(?:(?:public|internal|private|protected|sealed|partial|abstract|static|file|unsafe)[ \t]+)*)class[ \t]+(?<name>\w+)(?:[ \t]*<[^>\r\n]*>)?[ \t]*(?::(?<bases>[^{\r\n]*))?", RegexOptions.Multiline)]
    private static partial Regex ClassDeclarationPattern();

    [GeneratedRegex(@"\[[^\]]*?\b(?:[\w.]+\.)?Migration(?:Attribute)?[ \t]*\([ \t]*@?""(?<id>[^""]+)""[ \t]*\)")]
    private static partial Regex MigrationAttribute();

    [GeneratedRegex(@"\[[^\]]*?\b(?:[\w.]+\.)?DbContext(?:Attribute)?[ \t]*\([ \t]*typeof[ \t]*\([ \t]*(?<type>[\w.:]+)[ \t]*\)[ \t]*\)")]
    private static partial Regex DbContextAttribute();

    [GeneratedRegex(@"^(?:<{7}(?:[ \t].*)?|={7}|>{7}(?:[ \t].*)?)\r?$", RegexOptions.Multiline)]
    private static partial Regex ConflictMarker();

    /// <summary>How a class relates to EF Core's <c>Migration</c>, as far as the scanned files tell (ordered: the most useful answer wins).</summary>
    private enum Ancestry
    {
        /// <summary>Its base chain ends at a class declared in the scanned files that is not a migration, or it has no base.</summary>
        Other,

        /// <summary>Its base chain leaves the scanned files (a class of another project or package).</summary>
        Unknown,

        /// <summary>Its base chain reaches <c>Migration</c>.</summary>
        Migration,
    }

    /// <summary>Base classes declared in the scanned files, by short name, followed to <c>Migration</c>.</summary>
    private sealed class BaseClasses
    {
        private readonly Dictionary<string, List<ClassDeclaration>> _byName = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Ancestry> _resolved = new(StringComparer.Ordinal);

        public BaseClasses(IEnumerable<ClassDeclaration> classes)
        {
            foreach (var declaration in classes)
            {
                var name = declaration.FullName[(declaration.FullName.LastIndexOf('.') + 1)..];
                if (!_byName.TryGetValue(name, out var list))
                {
                    _byName[name] = list = [];
                }

                list.Add(declaration);
            }
        }

        /// <summary>What a base class named <paramref name="baseName"/> is (null: no base class).</summary>
        public Ancestry Of(string? baseName) => Of(baseName, []);

        private Ancestry Of(string? baseName, HashSet<string> visiting)
        {
            if (baseName is null)
            {
                return Ancestry.Other;
            }

            if (baseName == "Migration")
            {
                return Ancestry.Migration;
            }

            if (_resolved.TryGetValue(baseName, out var known))
            {
                return known;
            }

            if (!_byName.TryGetValue(baseName, out var declarations))
            {
                return Ancestry.Unknown;
            }

            if (!visiting.Add(baseName))
            {
                return Ancestry.Other; // a cycle (would not compile)
            }

            var result = declarations.Any(d => d.Base == "Migration")
                ? Ancestry.Migration
                : declarations.Select(d => Of(d.BaseName, visiting)).DefaultIfEmpty(Ancestry.Unknown).Max();
            visiting.Remove(baseName);
            _resolved[baseName] = result;
            return result;
        }
    }
}
