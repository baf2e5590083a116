using EfSafeMigrate.Execution;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Journal;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;
using static EfSafeMigrate.IntegrationTests.Journal.JournalTestMigrations;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary><see cref="PlanRunner"/> writes a journal row after each executed step, on real PostgreSQL.</summary>
public sealed class PlanRunnerJournalTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Checksums = new()
    {
        [CreateNotes] = JournalRuns.Checksum('a'),
        [AddNoteTitle] = JournalRuns.Checksum('b'),
    };

    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(PlanRunnerJournalTests));

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Apply_records_one_row_per_step_with_its_checksum_and_duration()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        var before = DateTime.UtcNow;

        var result = await JournalRuns.RunAsync(context, target: null, Checksums.GetValueOrDefault);

        var rows = JournalRuns.Reader(context).ReadAll();
        Assert.Equal([(CreateNotes, "apply", Checksums[CreateNotes]), (AddNoteTitle, "apply", Checksums[AddNoteTitle])], rows.Select(r => (r.MigrationId, r.Action, r.Checksum!)));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal((long)Math.Round(result.Completed[i].Duration.TotalMilliseconds, MidpointRounding.AwayFromZero), rows[i].DurationMs);
            Assert.InRange(rows[i].StartedUtc, before.AddSeconds(-1), DateTime.UtcNow);
            Assert.Null(rows[i].BackupPath); // the database had no migration: no backup (none configured either)
            Assert.Equal((JournalRuns.ToolVersion, Environment.UserName, Environment.MachineName), (rows[i].ToolVersion, rows[i].UserName, rows[i].HostName));
        }

        Assert.True(rows[0].StartedUtc <= rows[1].StartedUtc);
        Assert.Equal(2L, await _database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
    }

    [Fact]
    public async Task Revert_and_fake_steps_are_recorded_with_their_action_and_the_runs_backup()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        await JournalRuns.RunAsync(context, target: null, Checksums.GetValueOrDefault);
        var backups = new PgDumpBackupProvider(_database.ConnectionString, JournalRuns.ToolVersion, new PgTools(binFolder: null));

        var revert = await JournalRuns.RunAsync(context, "0", Checksums.GetValueOrDefault, backup: backups, backupFolder: _temp.Path);
        var fake = await JournalRuns.RunAsync(context, null, checksum: null, adjustPlan: plan => plan with { Steps = plan.Steps.Select(s => s.AsFake()).ToList() });

        var rows = JournalRuns.Reader(context).ReadAll();
        Assert.Equal(
            [
                (CreateNotes, "apply", Checksums[CreateNotes], null),
                (AddNoteTitle, "apply", Checksums[AddNoteTitle], null),
                (AddNoteTitle, "revert", Checksums[AddNoteTitle], revert.Backup!.Path),
                (CreateNotes, "revert", Checksums[CreateNotes], revert.Backup!.Path),
                (CreateNotes, "fake-apply", null, null),
                (AddNoteTitle, "fake-apply", null, null),
            ],
            rows.Select(r => (r.MigrationId, r.Action, r.Checksum, r.BackupPath)));
        Assert.Null(fake.Backup);
        Assert.True(File.Exists(revert.Backup!.Path));
    }

    [Fact]
    public async Task A_row_that_cannot_be_written_is_reported_and_the_run_goes_on()
    {
        await _database.ExecuteAsync("""CREATE TABLE "__SafeMigrateJournal" (unrelated int)""");
        await using var context = new JournalTestContext(_database.ConnectionString);
        var failures = new List<JournalWriteException>();

        var result = await JournalRuns.RunAsync(context, target: null, Checksums.GetValueOrDefault, failures: failures);

        Assert.Equal([CreateNotes, AddNoteTitle], result.Completed.Select(c => c.Step.MigrationId));
        Assert.Equal([CreateNotes, AddNoteTitle], failures.Select(f => f.MigrationId));
        Assert.Equal(2L, await _database.ScalarAsync<long>("""SELECT count(*) FROM "__EFMigrationsHistory" """));
        Assert.Equal(0L, await _database.ScalarAsync<long>("""SELECT count(*) FROM "__SafeMigrateJournal" """));
    }

    [Fact]
    public async Task A_failing_checksum_lookup_records_no_checksum()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);

        await JournalRuns.RunAsync(context, CreateNotes, id => throw new IOException("sources unreadable"));

        var row = Assert.Single(JournalRuns.Reader(context).ReadAll());
        Assert.Equal((CreateNotes, "apply", (string?)null), (row.MigrationId, row.Action, row.Checksum));
    }
}
