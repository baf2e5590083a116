using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Design;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Adds <c>[global::EfSafeMigrate.Replaces(...)]</c> to designer code written by EF Core's C#
/// generator, on the line after its <c>[Migration("...")]</c> attribute and with its indentation.
/// EF Core's generator has no hook for extra attributes; the ids are written with its
/// <see cref="ICSharpHelper"/>, the way it writes the migration id.
/// </summary>
public static class ReplacesAttributeText
{
    private const int IdsOnOneLine = 3;

    /// <summary>The attribute's name as written: fully qualified, so that the file needs no extra using.</summary>
    public static readonly string AttributeName = "global::" + typeof(ReplacesAttribute).Namespace + "." + nameof(ReplacesAttribute)[..^"Attribute".Length];

    /// <summary>Inserts the attribute.</summary>
    /// <param name="metadataCode">The designer code from <c>IMigrationsCodeGenerator.GenerateMetadata</c>.</param>
    /// <param name="migrationId">The id in its <c>[Migration]</c> attribute.</param>
    /// <param name="replacedIds">The replaced migration ids, oldest first.</param>
    /// <param name="code">EF Core Design's C# helper.</param>
    /// <exception cref="InvalidOperationException">The code has no <c>[Migration]</c> attribute with that id (EF Core's generator changed its output).</exception>
    public static string Insert(string metadataCode, string migrationId, IReadOnlyList<string> replacedIds, ICSharpHelper code)
    {
        var marker = "[Migration(" + code.Literal(migrationId) + ")]";
        var at = metadataCode.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"EF Core's designer code for '{migrationId}' has no {marker} attribute to put [Replaces] beside.");
        }

        var lineStart = metadataCode.LastIndexOf('\n', at) + 1;
        var indent = metadataCode[lineStart..at];
        var newline = metadataCode.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lineEnd = metadataCode.IndexOf('\n', at);
        var insertAt = lineEnd < 0 ? metadataCode.Length : lineEnd + 1;
        var literals = replacedIds.Select(id => code.Literal(id)).ToList();
        var attribute = literals.Count <= IdsOnOneLine
            ? $"{indent}[{AttributeName}({string.Join(", ", literals)})]{newline}"
            : $"{indent}[{AttributeName}({newline}{string.Join("," + newline, literals.Select(l => indent + "    " + l))})]{newline}";
        return metadataCode.Insert(insertAt, lineEnd < 0 ? newline + attribute : attribute);
    }
}
