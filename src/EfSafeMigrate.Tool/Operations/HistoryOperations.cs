using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Journal;
using EfSafeMigrate.Tool.Commands;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>One journal row as <c>history</c> shows it.</summary>
/// <param name="Entry">The row.</param>
/// <param name="State">The migration's state now: <c>applied</c>, <c>pending</c> or <c>unknown</c> (not in the code).</param>
/// <param name="LintAllowances">The lint findings allowed when this row's step ran (<c>CODE (how): reason</c>), from the lint allowances table.</param>
internal sealed record HistoryLine(JournalEntry Entry, string State, IReadOnlyList<string> LintAllowances);

/// <summary>
/// <c>history</c>: the journal table, oldest first, filtered by time and migration, each row with the migration's state now
/// (as Flyway's <c>info</c>) and the lint allowances recorded with its run.
/// </summary>
internal static class HistoryOperations
{
    /// <summary>Reads the rows.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="since">Only rows started at or after this time (UTC); null for all.</param>
    /// <param name="migration">Only rows of this migration (id, or the name after the timestamp); null for all.</param>
    public static IReadOnlyList<HistoryLine> Read(ProjectSession session, DateTime? since, string? migration)
    {
        var entries = new JournalReader(session.Context, session.Database.CreateJournalProbe()).ReadAll();
        var applied = session.Migrator.GetAppliedMigrations().ToHashSet(StringComparer.Ordinal);
        var code = session.Migrator.AllMigrations.ToHashSet(StringComparer.Ordinal);
        var allowances = NpgsqlLintAllowanceReader.ReadAll((NpgsqlConnection)session.Context.Database.GetDbConnection());
        return entries
            .Where(e => since is null || e.StartedUtc >= since)
            .Where(e => migration is null || e.MigrationId == migration || (e.MigrationId.Length > 15 && e.MigrationId[15..] == migration))
            .Select(e => new HistoryLine(
                e,
                applied.Contains(e.MigrationId) ? "applied" : code.Contains(e.MigrationId) ? "pending" : "unknown",
                allowances
                    .Where(a => a.Allowance.MigrationId == e.MigrationId && Math.Abs((a.RecordedUtc - (e.StartedUtc + TimeSpan.FromMilliseconds(e.DurationMs))).TotalMinutes) < 10
                                && (a.Allowance.Direction == "down") == (e.Action == JournalActions.Revert))
                    .Select(a => $"{a.Allowance.Code} ({a.Allowance.AllowedBy}): {a.Allowance.Reason}")
                    .Distinct()
                    .ToList()))
            .ToList();
    }
}
