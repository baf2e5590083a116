using System.Diagnostics;
using EfSafeMigrate.Npgsql.Rehearsal;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Rehearsal;

/// <summary>
/// The template copy of <c>rehearse</c>: a session that is ending when the copy is asked for (the previous command's,
/// listed until its backend exits) does not send the rehearsal to the slower backup copy; a session in use does, and
/// is never ended.
/// </summary>
public sealed class PgRehearsalDatabasesTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(PgRehearsalDatabasesTests));
        await _database.ExecuteAsync("CREATE TABLE kept (id int); INSERT INTO kept VALUES (1)");
    }

    public async Task DisposeAsync()
    {
        foreach (var name in await _database.Server.DatabasesLikeAsync(_database.Name + "_"))
        {
            await _database.Server.DropDatabaseAsync(name);
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_session_that_ends_within_the_wait_does_not_prevent_the_template_copy()
    {
        var copies = new PgRehearsalDatabases(_database.ConnectionString);
        var copy = copies.NameFor(DateTime.UtcNow);
        var session = new NpgsqlConnection(_database.ConnectionString);
        await session.OpenAsync();
        var ended = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        // A thread of its own: the thread pool may be short of threads while this one waits in TryCopyByTemplate.
        var ending = new Thread(() =>
        {
            Thread.Sleep(PgRehearsalDatabases.EndingSessionsWait / 3);
            session.Dispose();
            ended = clock.Elapsed;
        });
        ending.Start();

        var why = copies.TryCopyByTemplate(copy);
        var asked = clock.Elapsed;
        ending.Join();

        Assert.True(why is null, $"{why} (after {asked.TotalMilliseconds:0} ms; the session ended at {ended.TotalMilliseconds:0} ms)");
        Assert.True(copies.Exists(copy));
        await using var copied = new NpgsqlConnection(copies.ConnectionStringFor(copy));
        await copied.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM kept", copied);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_session_still_connected_after_the_wait_is_named_and_left_alone()
    {
        var copies = new PgRehearsalDatabases(_database.ConnectionString);
        var copy = copies.NameFor(DateTime.UtcNow);
        await using var session = new NpgsqlConnection(_database.ConnectionString);
        await session.OpenAsync();
        var clock = Stopwatch.StartNew();

        var why = copies.TryCopyByTemplate(copy);

        Assert.NotNull(why);
        Assert.Contains("1 other session(s) are connected", why);
        Assert.True(clock.Elapsed >= PgRehearsalDatabases.EndingSessionsWait, $"gave up after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.False(copies.Exists(copy));
        await using var alive = new NpgsqlCommand("SELECT 1", session);
        Assert.Equal(1, await alive.ExecuteScalarAsync());
    }
}
