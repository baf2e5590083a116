using System.Text.RegularExpressions;

namespace EfSafeMigrate.Npgsql.Schema;

/// <summary>
/// Spells PostgreSQL type names the way <c>format_type()</c> reports them, so that a store type
/// from an EF Core model (which may use aliases such as <c>varchar(20)</c>, <c>int4</c>,
/// <c>timestamptz</c>, <c>decimal(18, 2)</c>) compares equal to the live column's type.
/// </summary>
internal static partial class PgStoreTypeNormalizer
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["int"] = "integer", ["int4"] = "integer", ["serial"] = "integer", ["serial4"] = "integer",
        ["int8"] = "bigint", ["bigserial"] = "bigint", ["serial8"] = "bigint",
        ["int2"] = "smallint", ["smallserial"] = "smallint", ["serial2"] = "smallint",
        ["bool"] = "boolean",
        ["float8"] = "double precision", ["float4"] = "real",
        ["decimal"] = "numeric",
        ["varchar"] = "character varying",
        ["char"] = "character",
        ["timestamptz"] = "timestamp with time zone",
        ["timestamp"] = "timestamp without time zone",
        ["timetz"] = "time with time zone",
        ["time"] = "time without time zone",
        ["varbit"] = "bit varying",
    };

    /// <summary>
    /// Normalises a type name: lower case, single spaces, aliases replaced, modifiers kept without
    /// spaces (<c>VARCHAR(20)</c> → <c>character varying(20)</c>, <c>timestamptz(3)</c> →
    /// <c>timestamp(3) with time zone</c>, <c>decimal(18, 2)</c> → <c>numeric(18,2)</c>,
    /// <c>float(24)</c> → <c>real</c>, <c>int4[]</c> → <c>integer[]</c>). Unknown names pass through.
    /// </summary>
    public static string Normalize(string storeType)
    {
        var type = Whitespace().Replace(storeType.Trim().ToLowerInvariant(), " ");
        var arraySuffix = string.Empty;
        while (type.EndsWith("[]", StringComparison.Ordinal))
        {
            arraySuffix += "[]";
            type = type[..^2].TrimEnd();
        }

        var match = TypeParts().Match(type);
        if (!match.Success)
        {
            return type + arraySuffix;
        }

        var name = match.Groups["name"].Value.Trim();
        var modifier = match.Groups["mod"].Success ? Whitespace().Replace(match.Groups["mod"].Value, string.Empty) : string.Empty;
        var zone = match.Groups["zone"].Value.Trim();
        if (zone.Length > 0)
        {
            // "timestamp with time zone", "time(3) without time zone": already the reported spelling.
            return $"{name}{modifier} {zone}{arraySuffix}";
        }

        return Canonical(name, modifier) + arraySuffix;
    }

    private static string Canonical(string name, string modifier)
    {
        switch (name)
        {
            case "float" when modifier.Length > 0:
                // float(1)..float(24) is real, float(25)..float(53) is double precision.
                return int.TryParse(modifier.Trim('(', ')'), out var bits) && bits <= 24 ? "real" : "double precision";
            case "float":
                return "double precision";
            case "bpchar" when modifier.Length == 0:
                return "bpchar"; // unbounded blank-padded char, reported as bpchar
            case "bpchar":
                return "character" + modifier;
            case "character" or "char" when modifier.Length == 0:
                return "character(1)"; // char without a length is char(1)
        }

        if (Aliases.TryGetValue(name, out var canonical))
        {
            name = canonical;
        }

        // timestamptz(3) → timestamp(3) with time zone: the modifier follows the base name.
        var zoneAt = name.IndexOf(" with", StringComparison.Ordinal);
        return zoneAt > 0 ? name[..zoneAt] + modifier + name[zoneAt..] : name + modifier;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^(?<name>[a-z0-9_ ]+?)\s*(?<mod>\([^)]*\))?(?<zone>\s+with(out)? time zone)?$")]
    private static partial Regex TypeParts();
}
