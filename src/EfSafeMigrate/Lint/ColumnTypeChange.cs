using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint;

/// <summary>What PostgreSQL does for an <c>ALTER COLUMN ... TYPE</c>.</summary>
internal enum TypeChangeKind
{
    /// <summary>The type does not change.</summary>
    None,

    /// <summary>Binary-coercible: only the catalog changes (<c>varchar(n)</c> → <c>varchar(m ≥ n)</c>, <c>varchar</c> → <c>text</c>, dropping a length limit, <c>numeric(p,s)</c> → <c>numeric(q ≥ p,s)</c>).</summary>
    Cheap,

    /// <summary>A shorter maximum length (or precision): every row is rewritten and rows that do not fit fail the statement.</summary>
    Narrowing,

    /// <summary>Any other change: the table and its indexes are rewritten under <c>ACCESS EXCLUSIVE</c>.</summary>
    Rewrite,
}

/// <summary>
/// Classifies a column type change by PostgreSQL's rules ("ALTER TABLE": a type change rewrites the
/// table unless the old type is binary coercible to the new one and no <c>USING</c> is given;
/// <c>varchar</c>/<c>text</c> are binary coercible to each other, and raising or removing a length
/// limit needs no rewrite). Types are read from the operation's store types (<c>type:</c>/<c>oldType:</c>,
/// which Npgsql's scaffolder always writes), falling back to CLR type and <c>maxLength</c>.
/// </summary>
internal static partial class ColumnTypeChange
{
    /// <summary>The kind of type change of an <see cref="AlterColumnOperation"/>; <paramref name="newLength"/> is the new maximum length for narrowing changes.</summary>
    public static TypeChangeKind Classify(AlterColumnOperation operation, out int? newLength)
    {
        newLength = null;
        var old = operation.OldColumn;
        if (operation.ColumnType is { } newType && old.ColumnType is { } oldType)
        {
            return Classify(oldType, newType, out newLength);
        }

        if (old.ClrType != operation.ClrType && Nullable.GetUnderlyingType(old.ClrType) != operation.ClrType && Nullable.GetUnderlyingType(operation.ClrType) != old.ClrType)
        {
            return TypeChangeKind.Rewrite;
        }

        if (old.MaxLength == operation.MaxLength && old.Precision == operation.Precision && old.Scale == operation.Scale && old.IsFixedLength == operation.IsFixedLength)
        {
            return TypeChangeKind.None;
        }

        if (operation.MaxLength is { } length && (old.MaxLength is null || length < old.MaxLength))
        {
            newLength = length;
            return TypeChangeKind.Narrowing;
        }

        return operation.Precision < old.Precision ? TypeChangeKind.Narrowing : TypeChangeKind.Cheap;
    }

    /// <summary>The kind of change between two PostgreSQL store types (e.g. <c>character varying(200)</c> → <c>text</c>).</summary>
    public static TypeChangeKind Classify(string oldType, string newType, out int? newLength)
    {
        newLength = null;
        var (oldBase, oldArgs) = Normalize(oldType);
        var (newBase, newArgs) = Normalize(newType);
        if (oldBase == newBase && oldArgs.SequenceEqual(newArgs))
        {
            return TypeChangeKind.None;
        }

        var oldText = oldBase is "varchar" or "text";
        var newText = newBase is "varchar" or "text";
        if (oldText && newText)
        {
            var oldLimit = oldBase == "varchar" && oldArgs.Length > 0 ? oldArgs[0] : (int?)null;
            var newLimit = newBase == "varchar" && newArgs.Length > 0 ? newArgs[0] : (int?)null;
            if (newLimit is null || (oldLimit is not null && newLimit >= oldLimit))
            {
                return TypeChangeKind.Cheap;
            }

            newLength = newLimit;
            return TypeChangeKind.Narrowing;
        }

        if (oldBase == "numeric" && newBase == "numeric")
        {
            if (newArgs.Length == 0)
            {
                return TypeChangeKind.Cheap;
            }

            if (oldArgs.Length == 0 || newArgs[0] < oldArgs[0])
            {
                return TypeChangeKind.Narrowing;
            }

            var oldScale = oldArgs.Length > 1 ? oldArgs[1] : 0;
            var newScale = newArgs.Length > 1 ? newArgs[1] : 0;
            return oldScale == newScale ? TypeChangeKind.Cheap : TypeChangeKind.Rewrite;
        }

        if (oldBase == newBase && oldBase is "varbit" && (newArgs.Length == 0 || (oldArgs.Length > 0 && newArgs[0] >= oldArgs[0])))
        {
            return TypeChangeKind.Cheap;
        }

        return TypeChangeKind.Rewrite;
    }

    private static (string Base, int[] Args) Normalize(string type)
    {
        var t = Whitespace().Replace(type.Trim().ToLowerInvariant(), " ");
        var match = TypeWithArgs().Match(t);
        var name = match.Success ? match.Groups["name"].Value.Trim() : t;
        var args = match.Success
            ? match.Groups["args"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(a => int.TryParse(a, out var n) ? n : -1).ToArray()
            : [];
        name = name switch
        {
            "character varying" or "varchar" => "varchar",
            "character" or "char" or "bpchar" => "bpchar",
            "decimal" or "numeric" => "numeric",
            "int" or "integer" or "int4" => "int4",
            "bigint" or "int8" => "int8",
            "smallint" or "int2" => "int2",
            "timestamp with time zone" or "timestamptz" => "timestamptz",
            "timestamp without time zone" or "timestamp" => "timestamp",
            "bit varying" or "varbit" => "varbit",
            _ => name,
        };
        return (name, args);
    }

    [GeneratedRegex(@"^(?<name>[^(]+)\((?<args>[^)]*)\)\s*$")]
    private static partial Regex TypeWithArgs();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
