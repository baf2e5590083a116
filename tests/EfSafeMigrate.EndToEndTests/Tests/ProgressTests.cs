using System.Diagnostics;
using System.Text.RegularExpressions;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// Live progress of a long backup: drawn on stderr when it is a terminal (the tool run in a tmux pane, read with
/// <c>tmux capture-pane</c> while it works), and absent — no control characters, today's plain lines — when stderr is a pipe.
/// The terminal runs have <c>NO_COLOR=1</c>: no colour escape sequence may reach the screen. The database gets ~150 MB of hard-to-compress rows in three tables, so that pg_dump works for a few seconds.
/// </summary>
[ExpectedSeconds(45)]
public class ProgressTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Backup_and_restore_on_a_terminal_show_bytes_rate_and_table_while_they_work_and_clear_it()
    {
        using var session = BigDatabase(slowRestore: true);

        var (code, seen, final) = RunInTerminal(session, Shop, " written (", "backup", "create", "--backup-dir", session.BackupDir);

        Assert.Equal(0, code);
        Assert.True(seen.Count > 0, "no progress line was seen while the backup ran; final screen:" + Environment.NewLine + final);

        // "⡿ Backing up database "x" on host:port as user "u": 14.2 MB written (3.1 MB/s), table public.Bulk2 00:00:03"
        var line = seen.SelectMany(s => s.Split('\n')).Last(l => l.Contains(" written (", StringComparison.Ordinal));
        Assert.Matches(@"Backing up .*: [0-9.]+ (B|KB|MB|GB) written \([0-9.]+ (B|KB|MB|GB)/s\)", line);
        Assert.Matches(@"\d\d:\d\d:\d\d", line);
        Assert.Contains(seen, s => s.Contains("table public.Bulk", StringComparison.Ordinal));

        // Cleared at the end: the result lines stay, the progress line does not.
        var archive = Assert.Single(session.Archives());
        Assert.Contains("Backup written and verified", final);
        Assert.Contains(Path.GetFileName(archive), final);
        Assert.DoesNotContain(" written (", final);

        // The restore of that archive into a new database: the item pg_restore --verbose works on, and the tables done.
        var into = session.DatabaseName + "_into";
        var server = Pg.WithDatabase(session.ConnectionString, "postgres");
        try
        {
            var (restored, restoring, after) = RunInTerminal(session, Shop, "table(s) done)", "backup", "restore", archive, "--into", into);

            Assert.Equal(0, restored);
            Assert.Contains(restoring, s => Regex.IsMatch(s, @"Restoring .*\.dump into """ + into + @""": table public\.Slow \(\d table\(s\) done\)"));
            Assert.Contains($"Restored into database \"{into}\"", after);
            Assert.DoesNotContain("table(s) done)", after);
            Assert.Equal(400000L, Pg.Scalar(Pg.WithDatabase(session.ConnectionString, into), "SELECT count(*) FROM \"Bulk3\""));
        }
        finally
        {
            Pg.DropDatabaseIfExists(server, into);
        }
    }

    [Fact]
    public void Apply_on_a_terminal_shows_the_running_migration_as_step_n_of_m()
    {
        var slow = Execution.ExecutionFixtures.ShopWithSlowMigration;
        using var session = ToolSession.Create(slow, output);

        var (code, seen, final) = RunInTerminal(session, slow, "(step ", "apply", "--backup-dir", session.BackupDir);

        Assert.Equal(0, code);
        Assert.Contains(seen, s => s.Split('\n').Any(l => Regex.IsMatch(l, @"Applying \d+_SlowStep \(step 4 of 7\) +\d\d:\d\d:\d\d")));
        Assert.Contains("Applying 20261121064229_RenameCustomerName ... done (", final);
        Assert.Matches(@"Applying \d+_SlowStep \.\.\. done \(3\.\d s\)", final);
        Assert.DoesNotContain("(step ", final);
        Assert.Equal(slow.MigrationIds, Pg.History(session.ConnectionString));
    }

    /// <summary>
    /// Runs the tool in a 200x50 tmux pane (a tmux server of the test's own, <c>-L</c>, so no other tmux session on the machine
    /// is touched) with <c>NO_COLOR=1</c>, capturing the screen every 150 ms until it ends: its exit code, the screens that
    /// contained <paramref name="marker"/>, and the last screen.
    /// </summary>
    private static (int ExitCode, List<string> Seen, string Final) RunInTerminal(ToolSession session, FixtureProject project, string marker, params string[] arguments)
    {
        var socket = $"sm-progress-{Guid.NewGuid():N}"[..24];
        const string pane = "progress";
        var script = Path.Combine(session.WorkDir, socket + ".sh");
        var done = Path.Combine(session.WorkDir, socket + ".exit-code");
        var command = string.Join(' ', new[] { ToolInstallation.Executable }.Concat(arguments)
            .Concat(["-p", project.ProjectPath, "--no-build", "--configuration", FixtureProjects.Configuration]).Select(ShellQuote));
        // The connection string goes through a file of the test's own folder, never a command line.
        File.WriteAllText(script, string.Join('\n',
        [
            "#!/bin/sh",
            $"export ConnectionStrings__Shop={ShellQuote(session.ConnectionString)}",
            "export NO_COLOR=1",
            command,
            $"echo $? > {ShellQuote(done)}",
            "sleep 600",
            string.Empty,
        ]));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var started = Tmux(socket, "new-session", "-d", "-s", pane, "-x", "200", "-y", "50", "sh " + ShellQuote(script));
        Assert.True(started.ExitCode == 0, started.Describe());
        try
        {
            var seen = new List<string>();
            var clock = Stopwatch.StartNew();
            while (!File.Exists(done) && clock.Elapsed < TimeSpan.FromMinutes(4))
            {
                // -e keeps the screen's colours as escape sequences: NO_COLOR=1 must leave none.
                var raw = Tmux(socket, "capture-pane", "-p", "-e", "-t", pane).StdOut;
                Assert.DoesNotMatch(Colour, raw);
                var screen = Regex.Replace(raw, @"\u001b\[[0-9;?]*[A-Za-z]", string.Empty);
                if (screen.Contains(marker, StringComparison.Ordinal))
                {
                    seen.Add(screen);
                }

                Thread.Sleep(150);
            }

            Assert.True(File.Exists(done), "the command did not end within 4 minutes");
            Thread.Sleep(200);
            var final = Tmux(socket, "capture-pane", "-p", "-t", pane).StdOut;
            session.Log($"$ {command}{Environment.NewLine}{seen.Count} screen(s) with \"{marker}\"; the last:{Environment.NewLine}{(seen.Count > 0 ? seen[^1] : "(none)")}{Environment.NewLine}final screen:{Environment.NewLine}{final}");
            return (int.Parse(File.ReadAllText(done).Trim(), System.Globalization.CultureInfo.InvariantCulture), seen, final);
        }
        finally
        {
            Tmux(socket, "kill-server");
        }
    }

    [Fact]
    public void Backup_piped_prints_plain_lines_without_progress_or_control_characters()
    {
        using var session = BigDatabase();

        var backup = session.Run("backup", "create");

        Assert.True(backup.ExitCode == 0, backup.Describe());
        Assert.DoesNotContain('\u001b', backup.StdErr);
        Assert.DoesNotContain('\r', backup.StdErr);
        Assert.DoesNotContain(" written (", backup.StdErr);
        Assert.DoesNotContain("pg_dump:", backup.StdErr);
        var archive = Assert.Single(session.Archives());
        Assert.Equal(archive + Environment.NewLine, backup.StdOut);
        Assert.Matches(@"Backup written and verified: .*\.dump \([0-9.]+ (KB|MB|GB)\)\.", backup.StdErr);
    }

    /// <param name="slowRestore">
    /// Add a table "Slow" of 40 rows whose CHECK constraint sleeps 50 ms per row, so that restoring its data takes
    /// 2 s whatever the machine's speed (pg_restore checks each row it copies in): the three bulk tables restore in
    /// well under a second on a fast disk, between two screen captures.
    /// </param>
    private ToolSession BigDatabase(bool slowRestore = false)
    {
        var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply", "--no-backup");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        for (var table = 1; table <= 3; table++)
        {
            Pg.Execute(session.ConnectionString,
                $"CREATE TABLE \"Bulk{table}\" (id bigint, a text, b text); " +
                $"INSERT INTO \"Bulk{table}\" SELECT i, md5(i::text) || md5((i * {table + 7})::text), md5((i * 31)::text) FROM generate_series(1, 400000) AS i;");
        }

        if (slowRestore)
        {
            Pg.Execute(session.ConnectionString,
                "CREATE FUNCTION public.slow_row_check() RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_catalog.pg_sleep(0.05); RETURN true; END $$; " +
                "CREATE TABLE \"Slow\" (id int CHECK (public.slow_row_check())); " +
                "INSERT INTO \"Slow\" SELECT i FROM generate_series(1, 40) AS i;");
        }

        return session;
    }

    // An SGR sequence that sets a foreground or background colour.
    private const string Colour = @"\u001b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m";

    private static ProcessResult Tmux(string socket, params string[] arguments)
    {
        using var process = RunningProcess.Start("tmux", ["-L", socket, .. arguments], Path.GetTempPath());
        return process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
