using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Operations;
using McMaster.Extensions.CommandLineUtils;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Commands;

/// <summary><c>repair</c>: journaled fixes of the history table when it and the schema disagree (<see cref="RepairOperations"/>).</summary>
internal static class RepairCommand
{
    /// <summary>Declares the command's options.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Fix the history table when it and the schema disagree: remove rows of unknown migrations, or mark one migration applied or pending without running it. Journaled; --reason required.";
        command.ExtendedHelpText = string.Join(Environment.NewLine,
        [
            "",
            "Exactly one of --remove-unknown, --mark-applied ID, --mark-pending ID. Every repair takes the migration lock, writes a",
            "pg_dump archive of the history and journal tables to the backup folder (<db>_<utc>_repair-history.dump; restore it",
            "with pg_restore --clean), changes only history rows (never a user table), records one journal row per changed row",
            "with the reason, and prints what changed. --mark-applied refuses when an object the migration creates or changes is",
            "not in the database as the migration makes it; --mark-pending refuses when the database still has the migration's",
            "changes (the schema the migrations give is built on a throwaway database, as 'verify' does).",
            "Exit codes: 0 repaired (or nothing to repair); 1 refused (the message says why); 2 usage; 4 the backup failed.",
        ]);
        var removeUnknown = command.Option("--remove-unknown", "Delete the history rows of migrations the code does not have (shows them, and objects no migration explains, first).", CommandOptionType.NoValue);
        var markApplied = command.Option("--mark-applied <ID>", "Record this migration as applied without running its Up (its changes must already be in the schema).", CommandOptionType.SingleValue);
        var markPending = command.Option("--mark-pending <ID>", "Record this migration as not applied without running its Down (its changes must already be gone from the schema).", CommandOptionType.SingleValue);
        var reason = command.Option("--reason <TEXT>", "Why (required; recorded in the journal with each changed row).", CommandOptionType.SingleValue);
        var lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for the migration lock. Default: {MigrationRun.DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command).AddBackupDir();
        command.OnExecute(() =>
        {
            var modes = new[] { removeUnknown.HasValue(), markApplied.HasValue(), markPending.HasValue() }.Count(m => m);
            if (modes != 1 || string.IsNullOrWhiteSpace(reason.Value()))
            {
                return CommandRunner.RunLocal(options, _ => throw new CommandException(ExitCodes.UsageError, modes != 1
                    ? "repair takes exactly one of --remove-unknown, --mark-applied <ID>, --mark-pending <ID>."
                    : "repair needs --reason \"<why>\": it is recorded in the journal with each changed row."));
            }

            return CommandRunner.RunInProject(options, async session =>
            {
                var seconds = !lockTimeout.HasValue() ? MigrationRun.DefaultLockTimeoutSeconds
                    : int.TryParse(lockTimeout.Value(), out var s) && s >= 0 ? s
                    : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{lockTimeout.Value()}'.");
                var request = new RepairRequest(
                    removeUnknown.HasValue() ? RepairMode.RemoveUnknown : markApplied.HasValue() ? RepairMode.MarkApplied : RepairMode.MarkPending,
                    markApplied.Value() ?? markPending.Value(), reason.Value()!, options.Backup.FolderToWrite(session.ProjectDir, session.Reporter), TimeSpan.FromSeconds(seconds));
                var result = await new RepairOperations(session, options.Context.Value()).RunAsync(request, Interruption.Token);
                var reporter = session.Reporter;
                foreach (var note in result.Notes)
                {
                    reporter.Info(note);
                }

                if (result.Backup is not null)
                {
                    reporter.Info($"Backup of the history and journal tables: {result.Backup}");
                }

                foreach (var change in result.Changes)
                {
                    reporter.Success("Repaired: " + change);
                }

                if (reporter.Json)
                {
                    reporter.JsonDocument(new RepairJsonResult(session.Database.Connection.Database, result.Changes, result.Backup, result.Notes));
                }

                return ExitCodes.Success;
            });
        });
    }
}
