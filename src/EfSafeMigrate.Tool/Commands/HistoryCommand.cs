using System.Globalization;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Commands;

/// <summary><c>history [--since DATE] [--migration ID]</c>: the journal table, readable (Flyway's <c>info</c>), or <c>--json</c>.</summary>
internal static class HistoryCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Show the journal: every apply, revert, fake and repair with when, how long, by whom, backup, database size and lint allowances.";
        var since = command.Option("--since <DATE>", "Only rows started at or after this UTC date or time (e.g. 2026-11-01 or 2026-11-01T12:00:00Z).", CommandOptionType.SingleValue);
        var migration = command.Option("--migration <ID>", "Only rows of this migration (id, or its name without the timestamp).", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command);
        command.OnExecute(() => CommandRunner.RunInProject(options, session =>
        {
            DateTime? from = null;
            if (since.HasValue())
            {
                from = DateTime.TryParse(since.Value(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw new CommandException(ExitCodes.UsageError, $"--since takes a date or time such as 2026-11-01 or 2026-11-01T12:00:00Z, not '{since.Value()}'.");
            }

            var rows = HistoryOperations.Read(session, from, migration.Value());
            var reporter = session.Reporter;
            if (reporter.Json)
            {
                reporter.JsonDocument(new HistoryResult(
                    session.Database.Connection.Database,
                    rows.Select(r => new HistoryRowResult(
                        r.Entry.Id, r.Entry.MigrationId, r.Entry.Action, r.State, DateTime.SpecifyKind(r.Entry.StartedUtc, DateTimeKind.Utc), r.Entry.DurationMs,
                        r.Entry.Checksum, r.Entry.BackupPath, r.Entry.ToolVersion, r.Entry.UserName, r.Entry.HostName,
                        r.Entry.DatabaseBytesBefore, r.Entry.DatabaseBytesAfter, r.Entry.Reason, r.LintAllowances)).ToList()));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new Table().AddColumns("#", "Migration", "Action", "State", "Started (UTC)", "Duration", "By", "Database size", "Backup / reason / lint allowed");
            foreach (var r in rows)
            {
                var e = r.Entry;
                var notes = new[] { e.BackupPath, e.Reason is null ? null : "reason: " + e.Reason }.Concat(r.LintAllowances.Select(a => "allowed " + a)).Where(n => n is not null);
                table.AddRow(
                    e.Id.ToString(CultureInfo.InvariantCulture), Markup.Escape(e.MigrationId), Markup.Escape(e.Action), r.State,
                    e.StartedUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), HumanFormat.Milliseconds(e.DurationMs), Markup.Escape($"{e.UserName}@{e.HostName}"),
                    e.DatabaseBytesBefore is { } b ? $"{Size(b)} -> {(e.DatabaseBytesAfter is { } a ? Size(a) : "?")}" : "-",
                    Markup.Escape(string.Join("; ", notes)));
            }

            reporter.Data(table);
            reporter.Info($"{rows.Count} journal row(s) of {session.Database.Describe()}.");
            return Task.FromResult(ExitCodes.Success);
        }));
    }

    private static string Size(long bytes) => HumanFormat.Bytes(bytes);
}
