using System.Text.RegularExpressions;

namespace EfSafeMigrate.Npgsql.Schema;

/// <summary>
/// Spells PostgreSQL type names the way <c>format_type()</c> reports them, so that a store type
/// from an EF Core model (which may use aliases such as <c>varchar(20)</c>, <c>int4</c>,
/// <c>timestamptz</c>) compares equal to the live column's type.
/// </summary>
public static partial class PgStoreTypeNormalizer
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer", ["int4"] = "integer", ["serial"] = "integer", ["serial4"] = "integer",
        ["int8"] = "bigint", ["bigserial"] = "bigint", ["serial8"] = "bigint",
        ["int2"] = "smallint", ["smallserial"] = "smallint", ["serial2"] = "smallint",
        ["bool"] = "boolean",
        ["float8"] = "double precision", ["float"] = "double precision", ["float4"] = "real",
        ["decimal"] = "numeric",
        ["varchar"] = "character varying",
        ["char"] = "character", ["bpchar"] = "character",
        ["timestamptz"] = "timestamp with time zone",
        ["timestamp"] = "timestamp without time zone",
        ["timetz"] = "time with time zone",
        ["time"] = "time without time zone",
        ["varbit"] = "bit varying",
    };

    /// <summary>
    /// Normalises a type name: lower case, single spaces, aliases replaced, modifiers kept
    /// (<c>VARCHAR(20)</c> → <c>character varying(20)</c>, <c>timestamptz(3)</c> →
    /// <c>timestamp(3) with time zone</c>, <c>int4[]</c> → <c>integer[]</c>).
    /// </summary>
    public static string Normalize(string storeType)
    {
        var type = Whitespace().Replace(storeType.Trim().ToLowerInvariant(), " ").Replace(" (", "(");
        var arraySuffix = string.Empty;
        while (type.EndsWith("[]", StringComparison.Ordinal))
        {
            arraySuffix += "[]";
            type = type[..^2].TrimEnd();
        }

        var match = TypeWithModifier().Match(type);
        var name = match.Groups["name"].Value.Trim();
        var modifier = match.Groups["mod"].Value;
        var zone = match.Groups["zone"].Value.Trim();
        if (Aliases.TryGetValue(name, out var canonical))
        {
            name = canonical;
        }

        if (name.EndsWith(" with time zone", StringComparison.Ordinal) || name.EndsWith(" without time zone", StringComparison.Ordinal))
        {
            // timestamptz(3) → timestamp(3) with time zone: the modifier goes after the base name.
            var space = name.IndexOf(' ');
            return name[..space] + modifier + name[space..] + arraySuffix;
        }

        if (zone.Length > 0)
        {
            return name + modifier + " " + zone + arraySuffix;
        }

        return name + modifier + arraySuffix;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(?<name>[a-z0-9_ ]+?)(?<mod>\([^)]*\))?(?<zone>\s+with(out)? time zone)?$")]
    private static partial Regex TypeWithModifier();
}
