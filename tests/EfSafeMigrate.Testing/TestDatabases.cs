namespace EfSafeMigrate.Testing;

/// <summary>
/// The databases one test creates, in creation order, all dropped when the collection is disposed (each with its
/// sessions ended, as <see cref="TestDatabase"/> drops them).
/// </summary>
public sealed class TestDatabases : IAsyncDisposable
{
    private readonly List<TestDatabase> _databases = [];

    /// <summary>The databases created so far, in creation order.</summary>
    public IReadOnlyList<TestDatabase> All => _databases;

    /// <summary>Creates an empty database on <paramref name="server"/> (default: the shared test server), named after <paramref name="hint"/>.</summary>
    public async Task<TestDatabase> CreateAsync(string hint, PostgresServer? server = null)
    {
        var database = await TestDatabase.CreateOnAsync(server ?? PostgresServer.Instance, hint);
        _databases.Add(database);
        return database;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }
}
