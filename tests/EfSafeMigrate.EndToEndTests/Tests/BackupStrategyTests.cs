using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

/// <summary>
/// <c>--backup-strategy</c> end to end: a parallel directory dump before an apply that <c>rollback --backup --jobs</c> restores;
/// a restore point on a server that archives its WAL (recorded in the catalogue and the journal, restored only by printing
/// the recovery procedure, exit 4); a failing or missing archiver refuses the apply (exit 4, nothing applied).
/// </summary>
[ExpectedSeconds(40)]
public class BackupStrategyTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Parallel_dump_before_apply_is_listed_verified_and_restored_with_jobs()
    {
        using var session = ToolSession.Create(Shop, output);
        var first = session.Run("apply", Shop.MigrationIds[0], "--no-backup");
        Assert.True(first.ExitCode == 0, first.Describe());
        var before = Pg.SchemaDump(session.ConnectionString);

        var apply = session.Run("apply", "--backup-strategy", "pgdump-parallel", "--backup-jobs", "2", "--json");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        var folder = ToolSession.Json(apply).GetProperty("backup").GetString()!;
        Assert.EndsWith(".dir", folder, StringComparison.Ordinal);
        Assert.True(Directory.Exists(folder) && File.Exists(folder + ".json"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        }
        Assert.Equal(Shop.MigrationIds, Pg.History(session.ConnectionString));
        Assert.Equal(folder, Pg.Scalar(session.ConnectionString, "SELECT DISTINCT \"BackupPath\" FROM \"__SafeMigrateJournal\" WHERE \"BackupPath\" IS NOT NULL"));

        var list = session.Run("backup", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup list", list.StdOut));
        var listed = Assert.Single(ToolSession.Json(list).GetProperty("backups").EnumerateArray());
        Assert.Equal("directory", listed.GetProperty("format").GetString());
        Assert.Equal(folder, listed.GetProperty("path").GetString());

        var verify = session.Run("backup", "verify", folder);
        Assert.True(verify.ExitCode == 0, verify.Describe());

        var rollback = session.Run("rollback", "--backup", folder, "--jobs", "2", "--no-backup", "--yes");

        Assert.True(rollback.ExitCode == 0, rollback.Describe());
        Assert.Equal([Shop.MigrationIds[0]], Pg.History(session.ConnectionString));
        Assert.Equal(before, Pg.SchemaDump(session.ConnectionString));
    }

    [Fact]
    public void Backup_restore_of_a_custom_dump_with_jobs_restores_the_data_into_a_new_database()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply", "--no-backup");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        Pg.Execute(session.ConnectionString, "INSERT INTO \"Categories\" (\"Name\") SELECT 'c' || i FROM generate_series(1, 500) i");
        var create = session.Run("backup", "create", "--json");
        Assert.True(create.ExitCode == 0, create.Describe());
        var archive = ToolSession.Json(create).GetProperty("path").GetString()!;

        using var copy = E2eDatabase.Adopt();
        var restore = session.Run("backup", "restore", archive, "--into", copy.Name, "--jobs", "3");

        Assert.True(restore.ExitCode == 0, restore.Describe());
        var categories = Pg.Scalar(session.ConnectionString, "SELECT count(*) FROM \"Categories\"");
        Assert.True((long)categories! >= 500);
        Assert.Equal(categories, Pg.Scalar(copy.ConnectionString, "SELECT count(*) FROM \"Categories\""));
        Assert.Equal(Pg.SchemaDump(session.ConnectionString), Pg.SchemaDump(copy.ConnectionString));

        var bad = session.Run("backup", "restore", archive, "--into", copy.Name + "_x", "--jobs", "0");
        Assert.True(bad.ExitCode == 2, bad.Describe());
        Assert.Contains("--jobs", bad.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_point_before_apply_is_recorded_and_restoring_it_prints_the_recovery_procedure()
    {
        await using var database = await TestDatabase.CreateOnAsync(PostgresServer.Archiving, "e2e_restore_point");
        using var session = ToolSession.Create(Shop, output);
        var on = new RunOptions { EnvironmentConnection = database.ConnectionString };

        var apply = session.Run(on, "apply", "--backup-strategy", "restore-point", "--json");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(database.ConnectionString));
        var entry = ToolSession.Json(apply).GetProperty("backup").GetString()!;
        Assert.EndsWith(".restore-point", entry, StringComparison.Ordinal);
        Assert.True(File.Exists(entry + ".json"));
        Assert.Equal(entry, Pg.Scalar(database.ConnectionString, "SELECT DISTINCT \"BackupPath\" FROM \"__SafeMigrateJournal\" WHERE \"BackupPath\" IS NOT NULL"));

        var list = session.Run(on, "backup", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup list", list.StdOut));
        var listed = Assert.Single(ToolSession.Json(list).GetProperty("backups").EnumerateArray());
        Assert.Equal("restore-point", listed.GetProperty("format").GetString());
        var name = listed.GetProperty("restorePoint").GetProperty("name").GetString()!;
        Assert.True(File.Exists(Path.Combine(PostgresServer.Archiving.WalArchive!, listed.GetProperty("restorePoint").GetProperty("walFile").GetString()!)));

        var verify = session.Run(on, "backup", "verify", entry);
        Assert.True(verify.ExitCode == 0, verify.Describe());

        var schema = Pg.SchemaDump(database.ConnectionString);
        var rollback = session.Run(on, "rollback", "--backup", entry, "--yes");

        Assert.True(rollback.ExitCode == 4, rollback.Describe());
        Assert.Contains($"recovery_target_name = '{name}'", rollback.StdErr, StringComparison.Ordinal);
        Assert.Contains("restore_command", rollback.StdErr, StringComparison.Ordinal);
        Assert.Contains("recovery.signal", rollback.StdErr, StringComparison.Ordinal);
        Assert.Equal(Shop.MigrationIds, Pg.History(database.ConnectionString));
        Assert.Equal(schema, Pg.SchemaDump(database.ConnectionString));
        Assert.Equal([database.Name], await PostgresServer.Archiving.DatabasesLikeAsync(database.Name));

        var restore = session.Run(on, "backup", "restore", entry, "--yes");
        Assert.True(restore.ExitCode == 4, restore.Describe());
        Assert.Contains($"recovery_target_name = '{name}'", restore.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_archiver_refuses_the_restore_point_apply_with_exit_4_and_nothing_applied()
    {
        await using var database = await TestDatabase.CreateOnAsync(PostgresServer.FailingArchiver, "e2e_failing_archiver");
        using var session = ToolSession.Create(Shop, output);
        var on = new RunOptions { EnvironmentConnection = database.ConnectionString };

        var apply = session.Run(on, "apply", "--backup-strategy", "restore-point");

        Assert.True(apply.ExitCode == 4, apply.Describe());
        Assert.Contains("archive", apply.StdErr, StringComparison.Ordinal);
        Assert.Contains("--backup-strategy pgdump", apply.StdErr, StringComparison.Ordinal);
        Assert.Empty(Pg.History(database.ConnectionString));
        Assert.DoesNotContain(Pg.Tables(database.ConnectionString), t => t.Contains("Products", StringComparison.Ordinal));
        Assert.False(Directory.Exists(session.BackupDir) && Directory.EnumerateFileSystemEntries(session.BackupDir).Any());
    }

    [Fact]
    public void Archiving_off_refuses_the_restore_point_apply_and_a_bad_strategy_is_a_usage_error()
    {
        using var session = ToolSession.Create(Shop, output);

        var apply = session.Run("apply", "--backup-strategy", "restore-point");

        Assert.True(apply.ExitCode == 4, apply.Describe());
        Assert.Contains("archive_mode is 'off'", apply.StdErr, StringComparison.Ordinal);
        Assert.Empty(Pg.History(session.ConnectionString));

        var bad = session.Run("apply", "--backup-strategy", "tar");
        Assert.True(bad.ExitCode == 2, bad.Describe());
        Assert.Contains("pgdump-parallel", bad.StdErr, StringComparison.Ordinal);
        Assert.Empty(Pg.History(session.ConnectionString));
    }

    [Fact]
    public async Task PgBackRest_backup_before_apply_is_verified_listed_and_restoring_it_prints_the_command()
    {
        var server = PostgresServer.PgBackRest;
        using var stanzaLock = PostgresServer.LockPgBackRestStanza(); // the integration tests back up the same stanza
        await using var database = await TestDatabase.CreateOnAsync(server, "e2e_pgbackrest");
        using var session = ToolSession.Create(Shop, output);
        var on = new RunOptions
        {
            EnvironmentConnection = database.ConnectionString,
            Environment = new Dictionary<string, string> { ["SAFE_MIGRATE_PGBACKREST"] = server.PgBackRestProgram! },
        };

        var missing = session.Run(on, "apply", "--backup-strategy", "pgbackrest");
        Assert.True(missing.ExitCode == 2, missing.Describe());
        Assert.Contains("--pgbackrest-stanza", missing.StdErr, StringComparison.Ordinal);
        Assert.Empty(Pg.History(database.ConnectionString));

        var apply = session.Run(on, "apply", "--backup-strategy", "pgbackrest", "--pgbackrest-stanza", "main", "--pgbackrest-config", server.PgBackRestConfig!, "--json");

        Assert.True(apply.ExitCode == 0, apply.Describe());
        Assert.Equal(Shop.MigrationIds, Pg.History(database.ConnectionString));
        var entry = ToolSession.Json(apply).GetProperty("backup").GetString()!;
        Assert.EndsWith(".pgbackrest", entry, StringComparison.Ordinal);

        var list = session.Run(on, "backup", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup list", list.StdOut));
        var listed = Assert.Single(ToolSession.Json(list).GetProperty("backups").EnumerateArray());
        Assert.Equal("pgbackrest", listed.GetProperty("format").GetString());
        var label = listed.GetProperty("pgBackRest").GetProperty("label").GetString()!;

        var verify = session.Run(on, "backup", "verify", entry);
        Assert.True(verify.ExitCode == 0, verify.Describe());
        Assert.Contains(label, verify.StdErr, StringComparison.Ordinal);

        var rollback = session.Run(on, "rollback", "--backup", entry, "--yes");
        Assert.True(rollback.ExitCode == 4, rollback.Describe());
        Assert.Contains($"--stanza=main restore --delta --set={label} --type=immediate --target-action=promote", rollback.StdErr, StringComparison.Ordinal);
        Assert.Equal(Shop.MigrationIds, Pg.History(database.ConnectionString));
    }
}
