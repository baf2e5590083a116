using EfSafeMigrate.EndToEndTests.Infrastructure;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Rehearsal;

[ExpectedSeconds(25)]
public class RepairTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    private static string JournalRow(string cs, string action) =>
        Pg.Strings(cs, $"SELECT \"MigrationId\" || '|' || coalesce(\"Reason\", '') FROM \"__SafeMigrateJournal\" WHERE \"Action\" = {Pg.Literal(action)}").Single();

    [Fact]
    public void Repair_remove_unknown_needs_a_reason_backs_up_the_history_and_journals_the_removal()
    {
        using var session = ToolSession.Create(Shop, output);
        Assert.True(session.Run("apply").ExitCode == 0);
        var cs = session.ConnectionString;
        Pg.Execute(cs, "INSERT INTO \"__EFMigrationsHistory\" VALUES ('20991231000000_Ghost', '10.0.0'); CREATE TABLE \"GhostTable\" (\"Id\" int);");
        var rows = Pg.RowCounts(cs);

        var noReason = session.Run("repair", "--remove-unknown");
        Assert.True(noReason.ExitCode == 2, noReason.Describe());
        Assert.Contains("--reason", noReason.StdErr);
        var twoModes = session.Run("repair", "--remove-unknown", "--mark-pending", "X", "--reason", "r");
        Assert.True(twoModes.ExitCode == 2, twoModes.Describe());
        Assert.Contains("20991231000000_Ghost", string.Join(",", Pg.History(cs)));

        var repair = session.Run("repair", "--remove-unknown", "--reason", "branch feature/ghost was abandoned", "--backup-dir", session.BackupDir);

        Assert.True(repair.ExitCode == 0, repair.Describe());
        Assert.Contains("deleted history row '20991231000000_Ghost'", repair.StdErr);
        Assert.Contains("GhostTable", repair.StdErr);
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));
        Assert.Equal("20991231000000_Ghost|branch feature/ghost was abandoned", JournalRow(cs, "repair-remove-unknown"));
        var backup = Assert.Single(Directory.GetFiles(session.BackupDir, "*_repair-history.dump"));
        var list = Pg.RunClient("pg_restore", cs, ["--list", backup], TimeSpan.FromMinutes(1));
        Assert.Contains("__EFMigrationsHistory", list.StdOut);
        Assert.Contains("__SafeMigrateJournal", list.StdOut);
        Assert.Equal(rows.Where(r => !r.Key.StartsWith("__", StringComparison.Ordinal)), Pg.RowCounts(cs).Where(r => !r.Key.StartsWith("__", StringComparison.Ordinal)));

        var again = session.Run("repair", "--remove-unknown", "--reason", "again", "--backup-dir", session.BackupDir);
        Assert.True(again.ExitCode == 0, again.Describe());
        Assert.Contains("nothing to repair", again.StdErr);
    }

    [Fact]
    public void Repair_mark_applied_refuses_without_the_schema_and_records_the_migration_when_the_schema_has_it()
    {
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        Assert.True(session.Run("apply", Shop.Id("RenameCustomerName")).ExitCode == 0);
        var history = Pg.History(cs);

        var refused = session.Run("repair", "--mark-applied", "AddUniqueSkuIndex", "--reason", "index made by the DBA", "--backup-dir", session.BackupDir);

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains($"Refusing to mark '{Shop.Id("AddUniqueSkuIndex")}' as applied", refused.StdErr);
        Assert.Contains("index public.\"IX_Products_Sku\"", refused.StdErr);
        Assert.Equal(history, Pg.History(cs));
        Assert.Equal("0", Pg.Scalar(cs, "SELECT count(*) FROM \"__SafeMigrateJournal\" WHERE \"Action\" LIKE 'repair%'")!.ToString());

        Pg.Execute(cs, "CREATE UNIQUE INDEX \"IX_Products_Sku\" ON \"Products\" (\"Sku\");");
        var repair = session.Run("repair", "--mark-applied", "AddUniqueSkuIndex", "--reason", "index made by the DBA", "--backup-dir", session.BackupDir);

        Assert.True(repair.ExitCode == 0, repair.Describe());
        Assert.Contains($"inserted history row '{Shop.Id("AddUniqueSkuIndex")}'", repair.StdErr);
        Assert.Equal(Shop.UpTo(Shop.Id("AddUniqueSkuIndex")), Pg.History(cs));
        Assert.Equal($"{Shop.Id("AddUniqueSkuIndex")}|index made by the DBA", JournalRow(cs, "repair-mark-applied"));
        Assert.True(session.Run("verify").ExitCode == 0);

        var twice = session.Run("repair", "--mark-applied", "AddUniqueSkuIndex", "--reason", "again", "--backup-dir", session.BackupDir);
        Assert.True(twice.ExitCode == 1, twice.Describe());
        Assert.Contains("already applied", twice.StdErr);
    }

    [Fact]
    public void Repair_mark_pending_refuses_while_the_schema_has_the_changes_and_records_it_once_they_are_gone()
    {
        using var session = ToolSession.Create(Shop, output);
        var cs = session.ConnectionString;
        Assert.True(session.Run("apply").ExitCode == 0);

        var refused = session.Run("repair", "--mark-pending", "AddUniqueSkuIndex", "--reason", "index dropped by hand", "--backup-dir", session.BackupDir);

        Assert.True(refused.ExitCode == 1, refused.Describe());
        Assert.Contains("index public.\"IX_Products_Sku\"", refused.StdErr);
        Assert.Equal(Shop.MigrationIds, Pg.History(cs));

        Pg.Execute(cs, "DROP INDEX \"IX_Products_Sku\";");
        var repair = session.Run("repair", "--mark-pending", "AddUniqueSkuIndex", "--reason", "index dropped by hand", "--backup-dir", session.BackupDir);

        Assert.True(repair.ExitCode == 0, repair.Describe());
        Assert.Contains($"deleted history row '{Shop.Id("AddUniqueSkuIndex")}'", repair.StdErr);
        Assert.Equal(Shop.MigrationIds.Where(id => id != Shop.Id("AddUniqueSkuIndex")), Pg.History(cs));
        Assert.Equal($"{Shop.Id("AddUniqueSkuIndex")}|index dropped by hand", JournalRow(cs, "repair-mark-pending"));
        Assert.Equal("pending", session.Status()[Shop.Id("AddUniqueSkuIndex")]);

        var unknown = session.Run("repair", "--mark-pending", "NoSuchMigration", "--reason", "x", "--backup-dir", session.BackupDir);
        Assert.True(unknown.ExitCode == 2, unknown.Describe());
    }
}
