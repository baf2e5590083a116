using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>Backups when something is wrong: exit codes as documented, a locked table, a full disk.</summary>
public class BackupFaultTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Backup_create_that_cannot_connect_exits_2()
    {
        using var session = ToolSession.Create(Shop, output);
        var wrongPassword = new NpgsqlConnectionStringBuilder(session.ConnectionString) { Password = "not-the-password" }.ConnectionString;

        var create = session.Run(new RunOptions { EnvironmentConnection = wrongPassword }, "backup", "create");

        Assert.True(create.ExitCode == 2, create.Describe());
        Assert.Contains($"database \"{session.DatabaseName}\"", create.StdErr);
        Assert.DoesNotContain("not-the-password", create.Output);
        Assert.Empty(session.Archives());
    }

    [Fact]
    public void Backup_verify_with_a_missing_or_garbage_sidecar_exits_1()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply", Shop.MigrationIds[0]).ExitCode == 0);
        var archive = Assert.Single(session.Archives());

        File.WriteAllText(archive + ".json", "{ this is not json");
        var garbage = session.Run("backup", "verify", archive);
        Assert.True(garbage.ExitCode == 1, garbage.Describe());
        Assert.Contains(archive + ".json", garbage.StdErr);

        File.Delete(archive + ".json");
        var missing = session.Run("backup", "verify", archive);
        Assert.True(missing.ExitCode == 1, missing.Describe());
        Assert.Contains(archive + ".json", missing.StdErr);
    }

    /// <summary>
    /// A session holding ACCESS EXCLUSIVE on a table: pg_dump gives up after --lock-timeout (not 40–166 s later), the
    /// message names the table and the holder (pid, application, the SQL that would end it), exit 4, nothing applied.
    /// </summary>
    [Fact]
    public void Backup_gives_up_on_a_locked_table_after_lock_timeout_naming_the_table_and_the_holder()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply", Shop.MigrationIds[0]).ExitCode == 0);
        var archives = session.Archives();
        using var holder = Pg.Open(new NpgsqlConnectionStringBuilder(session.ConnectionString) { ApplicationName = "long-report" }.ConnectionString);
        using var transaction = holder.BeginTransaction();
        using (var lockTable = new NpgsqlCommand("LOCK TABLE \"Categories\" IN ACCESS EXCLUSIVE MODE", holder, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        var apply = session.Run("apply", "--lock-timeout", "2");

        Assert.True(apply.ExitCode == 4, apply.Describe());
        Assert.True(apply.Duration < TimeSpan.FromSeconds(60), apply.Describe());
        Assert.Contains("\"Categories\"", apply.StdErr);
        Assert.Contains($"server process {holder.ProcessID}", apply.StdErr);
        Assert.Contains("long-report", apply.StdErr);
        Assert.Contains("AccessExclusiveLock", apply.StdErr);
        Assert.Contains("pg_terminate_backend", apply.StdErr);
        Assert.Contains("Nothing was changed", apply.StdErr);
        Assert.Equal([Shop.MigrationIds[0]], Pg.History(session.ConnectionString));
        Assert.Equal(archives, session.Archives());
        Assert.Empty(Directory.GetFiles(session.BackupDir, "*.partial"));

        var create = session.Run("backup", "create", "--lock-timeout", "1");
        Assert.True(create.ExitCode == 4, create.Describe());
        Assert.Contains("\"Categories\"", create.StdErr);
        transaction.Rollback();
    }

    /// <summary>
    /// The disk fills up exactly when the sidecar is written (a tmpfs as large as the archive, mounted in a private mount
    /// namespace with <c>unshare</c>): the backup fails with exit 4 and leaves no file behind, in particular no empty
    /// <c>.dump.json</c> that would make the folder look like it has a backup with an unreadable sidecar.
    /// </summary>
    [Fact]
    public void A_full_disk_while_writing_the_sidecar_leaves_no_empty_sidecar()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply").ExitCode == 0);
        var calibrate = session.Run("backup", "create", "--json");
        Assert.True(calibrate.ExitCode == 0, calibrate.Describe());
        var size = new FileInfo(ToolSession.Json(calibrate).GetProperty("path").GetString()!).Length;
        var mount = Path.Combine(session.WorkDir, "small-disk");
        Directory.CreateDirectory(mount);

        // The same database dumps to the same size: a tmpfs of exactly the archive's pages is full once pg_dump is done.
        var script = "mount -t tmpfs -o size=$1 safe-migrate-test \"$2\" || exit 99; mnt=$2; shift 2; \"$@\"; rc=$?; echo '--- files:'; ls -A \"$mnt\"; exit $rc";
        var result = RunningProcess.Run("unshare",
            ["--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", (((size + 4095) / 4096) * 4096).ToString(), mount,
             ToolInstallation.Executable, "backup", "create", "-p", Shop.ProjectPath, "--no-build", "--configuration", FixtureProjects.Configuration, "--no-color", "--backup-dir", mount],
            session.WorkDir, TimeSpan.FromMinutes(3), new Dictionary<string, string?> { ["ConnectionStrings__Shop"] = session.ConnectionString });
        session.Log(result);

        Assert.True(result.ExitCode == 4, result.Describe());
        Assert.Contains("No space left on device", result.StdErr);
        var files = result.StdOut[(result.StdOut.IndexOf("--- files:", StringComparison.Ordinal) + "--- files:".Length)..].Trim();
        Assert.True(files.Length == 0, $"files left on the full disk: {files}");
    }
}
