using EfSafeMigrate.EndToEndTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// Restoring over a database: the backup of another database is refused, the database is backed up first so the restore
/// can be undone, the restore waits for the migration lock, and leftovers of an interrupted restore are named by
/// <c>status</c>, <c>apply</c> and <c>backup list</c> and removed by <c>backup cleanup</c>.
/// </summary>
[ExpectedSeconds(70)]
public class RestoreSafetyTests(ITestOutputHelper output)
{
    private const long AdvisoryLockKey = 0x5AFE_3164_7261_7465;

    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Restoring_a_backup_of_another_database_is_refused_naming_both_unless_from_other_database()
    {
        using var source = ToolSession.Create(Shop, output);
        Assert.True(source.Run("apply", Shop.MigrationIds[0]).ExitCode == 0);
        var create = source.Run("backup", "create", "--json");
        Assert.True(create.ExitCode == 0, create.Describe());
        var archive = ToolSession.Json(create).GetProperty("path").GetString()!;

        using var target = ToolSession.Create(Shop, output);
        var apply = target.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());

        var refused = target.Run("rollback", "--backup", archive, "--yes");

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains($"is of database \"{source.DatabaseName}\", not of \"{target.DatabaseName}\"", refused.StdErr);
        Assert.Contains("--from-other-database", refused.StdErr);
        Assert.Contains("Nothing was changed", refused.StdErr);
        Assert.Equal(Shop.MigrationIds, Pg.History(target.ConnectionString));
        Assert.Single(target.Archives()); // the apply's; no backup was taken for a refused restore

        var viaBackupCommand = target.Run("backup", "restore", archive, "--yes");
        Assert.True(viaBackupCommand.ExitCode == 1, viaBackupCommand.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(target.ConnectionString));

        // Without --yes and without a terminal, the question (exit 3) names both databases.
        var question = target.Run("rollback", "--backup", archive, "--from-other-database");
        Assert.True(question.ExitCode == 3, question.Describe());
        Assert.Contains($"database \"{target.DatabaseName}\"", question.StdErr);
        Assert.Contains($"of database \"{source.DatabaseName}\"", question.StdErr);

        var allowed = target.Run("rollback", "--backup", archive, "--from-other-database", "--yes", "--no-backup");
        Assert.True(allowed.ExitCode == 0, allowed.Describe());
        Assert.Equal([Shop.MigrationIds[0]], Pg.History(target.ConnectionString));
    }

    [Fact]
    public void Rollback_backup_first_takes_a_verified_backup_that_undoes_the_restore_and_no_backup_skips_it()
    {
        using var session = ToolSession.Create(Shop, output);
        var third = Shop.MigrationIds[2];
        Assert.True(session.Run("apply", third).ExitCode == 0);
        var toLast = session.Run("apply", "--json");
        Assert.True(toLast.ExitCode == 0, toLast.Describe());
        var atThird = ToolSession.Json(toLast).GetProperty("backup").GetString()!;
        Pg.Execute(session.ConnectionString, "INSERT INTO \"Categories\" (\"Name\") VALUES ('written after the backup')");
        var archivesBefore = session.Archives();

        var restore = session.Run("rollback", "--backup", atThird, "--yes", "--json");

        Assert.True(restore.ExitCode == 0, restore.Describe());
        Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
        var before = Assert.Single(session.Archives().Except(archivesBefore));
        BackupAssertions.AssertArchive(before, session.DatabaseName, Shop.Last);
        Assert.Equal(before, ToolSession.Json(restore).GetProperty("backupBefore").GetString());
        Assert.Contains($"To undo this restore: dotnet safe-migrate rollback --backup \"{before}\"", restore.StdErr);
        var verify = session.Run("backup", "verify", before);
        Assert.True(verify.ExitCode == 0, verify.Describe());

        // The backup taken first gives back what the restore replaced, including the row written after the older backup.
        var undo = session.Run("rollback", "--backup", before, "--yes", "--no-backup");
        Assert.True(undo.ExitCode == 0, undo.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(1L, Convert.ToInt64(Pg.Scalar(session.ConnectionString, "SELECT count(*) FROM \"Categories\" WHERE \"Name\" = 'written after the backup'")));
        Assert.Equal(archivesBefore.Count + 1, session.Archives().Count); // --no-backup took none

        // backup restore (without --into) takes one too.
        var viaBackup = session.Run("backup", "restore", atThird, "--yes");
        Assert.True(viaBackup.ExitCode == 0, viaBackup.Describe());
        Assert.Equal(archivesBefore.Count + 2, session.Archives().Count);
        Assert.Equal(Shop.UpTo(third), Pg.History(session.ConnectionString));
    }

    [Fact]
    public void Restore_waits_for_the_migration_lock_and_gives_up_after_lock_timeout_changing_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply", Shop.MigrationIds[0]).ExitCode == 0);
        var create = session.Run("backup", "create", "--json");
        var archive = ToolSession.Json(create).GetProperty("path").GetString()!;
        Assert.True(session.Run("apply").ExitCode == 0);
        var archivesBefore = session.Archives();

        // A session holding the lock apply takes stands for a running apply.
        using (var holder = Pg.Open(session.ConnectionString))
        {
            using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", holder))
            {
                take.ExecuteScalar();
            }

            var timedOut = session.Run("rollback", "--backup", archive, "--yes", "--lock-timeout", "2");

            Assert.True(timedOut.ExitCode == 5, timedOut.Describe());
            Assert.Contains("migration lock", timedOut.StdErr);
            Assert.Contains($"server process {holder.ProcessID}", timedOut.StdErr);
            Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
            Assert.Equal(archivesBefore, session.Archives());
            Assert.True(holder.State == System.Data.ConnectionState.Open);

            // The restore waits while the lock is held, and runs when it is released.
            using var waiting = session.Start(new RunOptions(), "rollback", "--backup", archive, "--yes", "--lock-timeout", "60");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (!waiting.CurrentStdErr.Contains("Waiting for the migration lock", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(60) && !waiting.HasExited)
            {
                Thread.Sleep(50);
            }

            Assert.False(waiting.HasExited, waiting.CurrentStdErr);
            Thread.Sleep(1000);
            Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
            using (var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", holder))
            {
                release.ExecuteScalar();
            }

            var done = waiting.WaitForExit(TimeSpan.FromMinutes(2));
            session.Log(done);
            Assert.True(done.ExitCode == 0, done.Describe());
        }

        Assert.Equal([Shop.MigrationIds[0]], Pg.History(session.ConnectionString));
    }

    [Fact]
    public void Leftovers_of_a_restore_are_named_by_status_apply_and_backup_list_and_removed_by_backup_cleanup()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply").ExitCode == 0);
        var server = E2eDatabase.ServerConnectionString;
        var staging = session.DatabaseName + "_restore_0badcafe";
        var old = session.DatabaseName + "_old_0badcafe";
        try
        {
            Pg.CreateDatabase(server, staging);
            Pg.CreateDatabase(server, old);

            var status = session.Run("status");
            Assert.True(status.ExitCode == 0, status.Describe());
            Assert.Contains($"\"{staging}\" is left from a restore over \"{session.DatabaseName}\" that did not finish", status.StdErr);
            Assert.Contains($"\"{old}\" is the copy of \"{session.DatabaseName}\" from before a restore that completed", status.StdErr);
            Assert.Contains("dotnet safe-migrate backup cleanup", status.StdErr);

            var apply = session.Run("apply");
            Assert.True(apply.ExitCode == 0, apply.Describe());
            Assert.Contains(staging, apply.StdErr);

            var list = session.Run(new RunOptions { Connection = session.ConnectionString }, "backup", "list");
            Assert.True(list.ExitCode == 0, list.Describe());
            Assert.Contains(staging, list.StdErr);
            Assert.Contains(old, list.StdErr);

            var cleanup = session.Run("backup", "cleanup", "--yes");
            Assert.True(cleanup.ExitCode == 0, cleanup.Describe());
            Assert.False(Pg.DatabaseExists(server, staging));
            Assert.False(Pg.DatabaseExists(server, old));
            var clean = session.Run("status");
            Assert.DoesNotContain("_restore_", clean.StdErr);

            // What an interrupted restore of an older version left: the database renamed away, connections disabled.
            Pg.WaitForNoOtherSessions(server, session.DatabaseName, TimeSpan.FromSeconds(30));
            Pg.Execute(server, $"ALTER DATABASE {Pg.Identifier(session.DatabaseName)} RENAME TO {Pg.Identifier(old)}");
            Pg.Execute(server, $"ALTER DATABASE {Pg.Identifier(old)} ALLOW_CONNECTIONS false");

            var missingStatus = session.Run("status");
            Assert.True(missingStatus.ExitCode == 1, missingStatus.Describe());
            Assert.Contains($"Database \"{session.DatabaseName}\" does not exist, but a restore over it left \"{old}\"", missingStatus.StdErr);
            var missingApply = session.Run("apply");
            Assert.True(missingApply.ExitCode == 1, missingApply.Describe());
            Assert.False(Pg.DatabaseExists(server, session.DatabaseName), "apply created a new, empty database");

            var putBack = session.Run("backup", "cleanup", "--yes");
            Assert.True(putBack.ExitCode == 0, putBack.Describe());
            Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
            Assert.False(Pg.DatabaseExists(server, old));
        }
        finally
        {
            foreach (var name in new[] { staging, old })
            {
                Pg.DropDatabaseIfExists(server, name);
            }
        }
    }
}
