using System.Globalization;
using EfSafeMigrate.Integrity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Journal;

/// <summary>
/// SM402 (<see cref="FindingCodes.EditedAfterApply"/>): an applied migration whose files changed
/// since it was applied. For each migration in the history table, the journal's latest row for
/// it is taken; when that row records the checksum of the migration as the database has it
/// (<see cref="JournalActions.RecordsAppliedChecksum"/>: apply, fake-apply, repair)
/// and the checksum differs from the current hash of its files, that is an error. No row, a
/// row without checksum, a latest row of another action (e.g. a revert, after which something
/// other than safe-migrate applied it again) or files not found: no checksum is known and nothing
/// is reported.
/// </summary>
internal static class EditedAfterApplyCheck
{
    /// <summary>The findings, in the order of <paramref name="applied"/>.</summary>
    /// <param name="applied">Migration ids in the history table, in its order.</param>
    /// <param name="sourceHashes">Current hash of each migration's files, by id (<see cref="MigrationHasher"/>).</param>
    /// <param name="latest">The journal's latest row per migration id (<see cref="JournalReader.ReadLatest"/>).</param>
    /// <param name="table">The journal table (named in the fix).</param>
    /// <param name="context">The context, whose provider writes the SQL statement in the fix (nothing is run).</param>
    public static IReadOnlyList<Finding> Check(
        IReadOnlyList<string> applied,
        IReadOnlyDictionary<string, string> sourceHashes,
        IReadOnlyDictionary<string, JournalEntry> latest,
        JournalTable table,
        DbContext context)
    {
        var findings = new List<Finding>();
        foreach (var id in applied)
        {
            if (!latest.TryGetValue(id, out var row)
                || row.Checksum is null
                || !JournalActions.RecordsAppliedChecksum(row.Action)
                || !sourceHashes.TryGetValue(id, out var current)
                || string.Equals(row.Checksum, current, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var when = row.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            findings.Add(new Finding(FindingCodes.EditedAfterApply, FindingSeverity.Error,
                $"Migration '{id}' was edited after it was applied: it was {Verb(row.Action)} on {when} UTC by {row.UserName} on {row.HostName} " +
                $"(safe-migrate {row.ToolVersion}) with checksum {Short(row.Checksum)}, and its files now hash to {Short(current)}. " +
                "The database ran the old version; databases that already have it will never run the edit, new ones will, so they drift apart.",
                [id], null, null,
                $"Undo the edit: restore the migration's files as they were (git log --oneline -- '*{id}*' lists the commits that changed them; git checkout <commit> -- <file> restores one), " +
                "and put the change in a new migration: dotnet safe-migrate add <Name>. " +
                "If the edit cannot change what the migration does (comments, formatting) and you keep it, accept the new checksum in each database that reports this: " +
                RepairStatement(context, table, id, current)));
        }

        return findings;
    }

    /// <summary>
    /// The SQL that accepts a migration's current checksum: a <see cref="JournalActions.Repair"/>
    /// row (nothing is rewritten; the audit trail keeps the original row). Standard SQL
    /// (<c>CURRENT_TIMESTAMP</c>, <c>CURRENT_USER</c>); identifiers and string literals from the
    /// context's provider (<see cref="ISqlGenerationHelper"/>, the string type mapping).
    /// </summary>
    public static string RepairStatement(DbContext context, JournalTable table, string migrationId, string checksum)
    {
        var sql = context.GetService<ISqlGenerationHelper>();
        var text = context.GetService<IRelationalTypeMappingSource>().GetMapping(typeof(string));
        string[] columns =
        [
            JournalColumns.MigrationId, JournalColumns.Action, JournalColumns.Checksum, JournalColumns.StartedAt,
            JournalColumns.DurationMs, JournalColumns.ToolVersion, JournalColumns.UserName, JournalColumns.HostName,
        ];
        return $"INSERT INTO {table.Delimited(sql)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c)))}) " +
               $"VALUES ({Literal(migrationId)}, {Literal(JournalActions.Repair)}, {Literal(checksum)}, CURRENT_TIMESTAMP, 0, {Literal("manual")}, CURRENT_USER, {Literal("manual")}){sql.StatementTerminator}";

        string Literal(string value) => text.GenerateSqlLiteral(value);
    }

    private static string Verb(string action) => action switch
    {
        JournalActions.FakeApply => "recorded as applied without running (fake-apply)",
        JournalActions.Repair => "last accepted (repair)",
        JournalActions.Rebase => "renamed to this id by merge --rebase",
        _ => "applied",
    };

    private static string Short(string checksum) => checksum.Length > 12 ? checksum[..12] : checksum;
}
