using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Lint.Rules;

/// <summary>
/// SM508: adding a column whose default is volatile (<c>random()</c>, <c>gen_random_uuid()</c>,
/// <c>clock_timestamp()</c>, <c>nextval()</c>), an identity or serial column, or a stored generated
/// column rewrites the table under <c>ACCESS EXCLUSIVE</c>: every existing row gets its own value.
/// A constant or stable default (<c>0</c>, <c>''</c>, <c>now()</c>) is free since PostgreSQL 11 (the
/// default is stored in the catalog) and is not reported.
/// </summary>
internal sealed partial class AddColumnRewrite : LintRule
{
    /// <inheritdoc />
    public override string Code => "SM508";

    /// <inheritdoc />
    public override LintSeverity DefaultSeverity => LintSeverity.Error;

    /// <inheritdoc />
    public override string Title => "column added with a volatile default, identity or stored generated value (rewrite)";

    /// <summary>Why adding this column rewrites the table, or null when it does not.</summary>
    public static string? RewriteReason(AddColumnOperation add)
    {
        if (add.DefaultValueSql is { } sql && VolatileCall().Match(sql) is { Success: true } call)
        {
            return $"its default {sql} calls the volatile function {call.Groups[1].Value}()";
        }

        if (add.ComputedColumnSql is not null && add.IsStored == true)
        {
            return "it is a stored generated column";
        }

        var strategy = add["Npgsql:ValueGenerationStrategy"]?.ToString();
        if (strategy is not null && (strategy.Contains("Identity", StringComparison.Ordinal) || strategy.Contains("Serial", StringComparison.Ordinal)))
        {
            return $"it is an {(strategy.Contains("Identity", StringComparison.Ordinal) ? "identity" : "serial")} column";
        }

        return add.ColumnType is { } type && SerialType().IsMatch(type) ? $"its type {type} fills every row from a sequence" : null;
    }

    /// <inheritdoc />
    public override IEnumerable<LintHit> CheckOperation(OperationContext context)
    {
        if (context.Operation is not AddColumnOperation add || context.IsNew(add.Schema, add.Table) || RewriteReason(add) is not { } reason)
        {
            yield break;
        }

        yield return new LintHit
        {
            Table = new TableRef(add.Schema, add.Table),
            Column = add.Name,
            Lock = LockModes.AccessExclusive,
            RewritesTable = true,
            ScansTable = true,
            Message = $"Adding {add.Table}.{add.Name} rewrites {add.Table} under {LockModes.AccessExclusive} (reads and writes wait): {reason}.",
            Fix = "Migration 1: add the column nullable, without the default (AddColumn with nullable: true, no defaultValueSql); migration 2: migrationBuilder.Sql(\"ALTER TABLE ... ALTER COLUMN ... SET DEFAULT ...\") for new rows (catalog only); then backfill the existing rows in batches outside the migration (or in migrations of their own), and only then make it required (see SM505).",
        };
    }

    [GeneratedRegex(@"\b(random|gen_random_uuid|uuid_generate_v1|uuid_generate_v4|clock_timestamp|timeofday|statement_timestamp|nextval|txid_current)\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex VolatileCall();

    [GeneratedRegex(@"^\s*(big|small)?serial\d?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SerialType();
}
