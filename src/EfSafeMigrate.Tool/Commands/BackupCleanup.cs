using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using McMaster.Extensions.CommandLineUtils;
using Microsoft.EntityFrameworkCore;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>backup cleanup</c>: removes what an interrupted restore over the project's database left (the
/// <c>&lt;db&gt;_restore_...</c> and <c>&lt;db&gt;_old_...</c> databases), and, when the database itself is missing (left by
/// an older version), puts its <c>_old_</c> copy back under its name. Under the migration lock, after confirmation.
/// </summary>
internal static class BackupCleanup
{
    /// <summary>Declares the subcommand.</summary>
    public static void Configure(CommandLineApplication command)
    {
        command.Description = "Drop the databases an interrupted restore left (<db>_restore_*, <db>_old_*), or put a missing database back from its _old_ copy.";
        var lockTimeout = command.Option("--lock-timeout <SECONDS>", $"How long to wait for the migration lock. Default: {MigrationRun.DefaultLockTimeoutSeconds}.", CommandOptionType.SingleValue);
        var options = ProjectOptions.Add(command).AddYes();
        command.OnExecute(() => CommandRunner.RunInProject(options, async session =>
        {
            var wait = TimeSpan.FromSeconds(!lockTimeout.HasValue() ? MigrationRun.DefaultLockTimeoutSeconds
                : int.TryParse(lockTimeout.Value(), out var seconds) && seconds >= 0 ? seconds
                : throw new CommandException(ExitCodes.UsageError, $"--lock-timeout takes a whole number of seconds (0 or more), not '{lockTimeout.Value()}'."));
            var leftovers = new PgRestoreLeftovers(session.Context.Database.GetConnectionString()!);
            var scan = await leftovers.FindAsync();
            if (scan.IsClean)
            {
                session.Reporter.Success($"Nothing to clean up: no database left by a restore of \"{scan.Database}\".");
                WriteResult(session, scan, []);
                return ExitCodes.Success;
            }

            foreach (var line in PgRestoreLeftovers.Describe(scan, "this command"))
            {
                session.Reporter.Info(line);
            }

            Confirmation.Require(options.Yes.HasValue(),
                scan.DatabaseExists
                    ? $"Drop {string.Join(", ", scan.Leftovers.Select(l => $"\"{l.Name}\""))}?"
                    : $"Put the copy from before the restore back as \"{scan.Database}\" and drop the other leftovers?");
            var done = await leftovers.CleanUpAsync(wait, session.Reporter.Info);
            foreach (var line in done)
            {
                session.Reporter.Info(line);
            }

            session.Reporter.Success("Cleanup done.");
            WriteResult(session, scan, done);
            return ExitCodes.Success;
        }));
    }

    private static void WriteResult(ProjectSession session, RestoreLeftoverScan scan, IReadOnlyList<string> done)
    {
        if (session.Reporter.Json)
        {
            session.Reporter.JsonDocument(new BackupCleanupResult(
                scan.Database,
                scan.Leftovers.Select(l => new LeftoverResult(l.Name, l.Kind.ToString().ToLowerInvariant(), l.Sessions)).ToList(),
                done));
        }
    }
}
