using EfSafeMigrate.Journal;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Journal;

/// <summary>Writing and reading journal rows on real PostgreSQL.</summary>
public sealed class JournalRecorderTests : IAsyncLifetime
{
    private const string A = "20250101000000_CreateNotes";
    private const string B = "20250102000000_AddNoteTitle";
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(nameof(JournalRecorderTests));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Record_writes_every_field()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        var started = new DateTime(2026, 11, 21, 6, 47, 36, 123, DateTimeKind.Utc).AddMicroseconds(456);
        var checksum = JournalRuns.Checksum('c');

        JournalRuns.Recorder(context).Record(A, JournalActions.Apply, checksum, started, TimeSpan.FromMilliseconds(1234.5), "/backups/shop_20261121_064736_empty.dump");
        JournalRuns.Recorder(context).Record(B, JournalActions.FakeApply, null, started.ToLocalTime(), TimeSpan.FromTicks(4), null);

        var rows = JournalRuns.Reader(context).ReadAll();
        Assert.Equal(
            [
                new JournalEntry(1, A, "apply", checksum, started, 1235, "/backups/shop_20261121_064736_empty.dump", JournalRuns.ToolVersion, Environment.UserName, Environment.MachineName),
                new JournalEntry(2, B, "fake-apply", null, started, 0, null, JournalRuns.ToolVersion, Environment.UserName, Environment.MachineName),
            ],
            rows);
        Assert.All(rows, r => Assert.Equal(DateTimeKind.Utc, r.StartedUtc.Kind));

        // Stored as a real UTC instant, not as local wall-clock time.
        Assert.Equal("2026-11-21 06:47:36.123456", await _database.ScalarAsync<string>("""SELECT to_char("StartedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM "__SafeMigrateJournal" WHERE "Id" = 1"""));
    }

    [Fact]
    public async Task ReadLatest_returns_the_latest_row_of_each_migration()
    {
        await using var context = new JournalTestContext(_database.ConnectionString);
        var recorder = JournalRuns.Recorder(context);
        var now = DateTime.UtcNow;
        recorder.Record(A, JournalActions.Apply, JournalRuns.Checksum('1'), now, TimeSpan.Zero, null);
        recorder.Record(B, JournalActions.Apply, JournalRuns.Checksum('2'), now, TimeSpan.Zero, null);
        recorder.Record(A, JournalActions.Revert, JournalRuns.Checksum('1'), now, TimeSpan.Zero, null);
        recorder.Record(A, JournalActions.Apply, JournalRuns.Checksum('3'), now, TimeSpan.Zero, null);
        recorder.Record(B, JournalActions.FakeRevert, JournalRuns.Checksum('2'), now, TimeSpan.Zero, null);

        var reader = JournalRuns.Reader(context);
        var latest = reader.ReadLatest();

        Assert.Equal([A, B], latest.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((4L, "apply", JournalRuns.Checksum('3')), (latest[A].Id, latest[A].Action, latest[A].Checksum));
        Assert.Equal((5L, "fake-revert"), (latest[B].Id, latest[B].Action));
        Assert.Equal([1L, 2, 3, 4, 5], reader.ReadAll().Select(r => r.Id));
    }

    [Fact]
    public async Task A_row_that_cannot_be_written_throws_JournalWriteException_naming_migration_and_table()
    {
        await _database.ExecuteAsync("""CREATE TABLE "__SafeMigrateJournal" (unrelated int)""");
        await using var context = new JournalTestContext(_database.ConnectionString);

        var failure = Assert.Throws<JournalWriteException>(() =>
            JournalRuns.Recorder(context).Record(A, JournalActions.Apply, null, DateTime.UtcNow, TimeSpan.Zero, null));

        Assert.Equal(A, failure.MigrationId);
        Assert.Equal("apply", failure.Action);
        Assert.Contains($"The apply of migration '{A}' is done, but it could not be recorded in the journal table __SafeMigrateJournal.", failure.Message);
        Assert.Contains("42703", failure.Message); // PostgreSQL: undefined column
    }
}
