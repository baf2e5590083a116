using EfSafeMigrate.Squashing;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// The name and id of a squashed migration. The id is the timestamp of the last replaced migration
/// followed by <c>_</c> and the name (default <c>Squashed&lt;FromName&gt;To&lt;ToName&gt;</c>, see
/// <see cref="Default"/>), so that it sorts right after the range and before anything after it.
/// </summary>
public static class SquashedMigrationName
{
    /// <summary>The name part of a migration id: what follows the first underscore (the whole id when it has none).</summary>
    public static string NameOf(string migrationId)
        => migrationId.IndexOf('_') is var i and >= 0 ? migrationId[(i + 1)..] : migrationId;

    /// <summary>
    /// The default name for a range: <c>Squashed&lt;FromName&gt;To&lt;ToName&gt;</c>; when that would sort
    /// before TO's own name (TO is e.g. <c>UpdatePrices</c> or <c>Step0200</c>: ids compare ordinally and
    /// share TO's timestamp), <c>&lt;ToName&gt;SquashedFrom&lt;FromName&gt;</c>, which starts with TO's name and so sorts right after it.
    /// </summary>
    /// <remarks>
    /// Names may hold characters a C# class name cannot (EF Core accepts any migration name: spaces,
    /// dots, dashes); they are dropped and the letter after them upper-cased (<c>Fix Navigation
    /// Properties</c> → <c>FixNavigationProperties</c>, <c>v1.2-rc</c> → <c>v12Rc</c>), so the default is a
    /// valid identifier. The dropped characters sort below letters and digits, so the fallback still
    /// sorts right after TO.
    /// </remarks>
    public static string Default(SquashRange range)
    {
        var from = Identifier(NameOf(range.From));
        var to = Identifier(NameOf(range.To));
        var name = $"Squashed{from}To{to}";
        return string.CompareOrdinal(IdFor(range, name), range.To) > 0 ? name : $"{to}SquashedFrom{from}";
    }

    /// <summary>A migration name with the characters a C# identifier cannot hold dropped, each letter after them upper-cased.</summary>
    public static string Identifier(string name)
    {
        var result = new System.Text.StringBuilder(name.Length);
        var upper = false;
        foreach (var c in name)
        {
            if (SyntaxFacts.IsIdentifierPartCharacter(c))
            {
                result.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return result.ToString();
    }

    /// <summary>The id: the timestamp of the range's last migration (what precedes its first underscore), <c>_</c>, the name.</summary>
    public static string IdFor(SquashRange range, string name)
        => (range.To.IndexOf('_') is var i and >= 0 ? range.To[..i] : range.To) + "_" + name;

    /// <summary>
    /// Refuses a name EF Core or the compiler would not accept, or whose id would not sort right
    /// after the range: not a C# identifier, the DbContext's name, a name or id a migration
    /// already has, a type that already exists in the migrations' namespace.
    /// </summary>
    /// <param name="name">The squashed migration's name.</param>
    /// <param name="range">The replaced range.</param>
    /// <param name="migrationIds">All migration ids, in id order.</param>
    /// <param name="migrationsAssembly">EF Core's migrations assembly.</param>
    /// <param name="contextType">The DbContext type.</param>
    /// <param name="namespace">The namespace the squashed migration goes into.</param>
    /// <exception cref="SquashRefusedException">The name cannot be used; the message says why and suggests one.</exception>
    public static void Validate(string name, SquashRange range, IReadOnlyList<string> migrationIds, IMigrationsAssembly migrationsAssembly, Type contextType, string @namespace)
    {
        var fix = $"Choose another with --name (the default is '{Default(range)}').";
        if (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            Refuse($"The name '{name}' is not a valid C# class name (letters, digits and underscores, not starting with a digit, not a keyword). {fix}");
        }

        if (string.Equals(name, contextType.Name, StringComparison.Ordinal))
        {
            Refuse($"The name '{name}' is the DbContext's class name; EF Core does not allow a migration to have it. {fix}");
        }

        if (migrationsAssembly.FindMigrationId(name) is { } existing)
        {
            Refuse($"A migration named '{name}' already exists ('{existing}'). {fix}");
        }

        var id = IdFor(range, name);
        if (string.CompareOrdinal(id, range.To) <= 0)
        {
            Refuse($"The squashed migration's id '{id}' would sort before the last migration it replaces, '{range.To}' (ids compare ordinally, and the name follows the same timestamp), " +
                   "so EF Core would order it inside the range. Choose a name that sorts after " +
                   $"'{NameOf(range.To)}' with --name (e.g. '{NameOf(range.To)}SquashedFrom{NameOf(range.From)}', which starts with it).");
        }

        var next = migrationIds.FirstOrDefault(m => string.CompareOrdinal(m, range.To) > 0);
        if (next is not null && string.CompareOrdinal(id, next) >= 0)
        {
            Refuse($"The squashed migration's id '{id}' would sort after '{next}', which follows the range, so EF Core would order it after that migration. " +
                   $"Choose a name that sorts before '{NameOf(next)}' with --name.");
        }

        var fullName = string.IsNullOrEmpty(@namespace) ? name : @namespace + "." + name;
        if (migrationsAssembly.Assembly.GetType(fullName, throwOnError: false) is not null)
        {
            Refuse($"The type '{fullName}' already exists in {migrationsAssembly.Assembly.GetName().Name}; the squashed migration's class would clash with it. {fix}");
        }
    }

    private static void Refuse(string message) => throw new SquashRefusedException(SquashRefusalKind.Usage, message);
}
