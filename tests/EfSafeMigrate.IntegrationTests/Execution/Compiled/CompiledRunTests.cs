using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Execution.Compiled;

/// <summary>
/// What the compiled-migrations test classes share: the databases a test creates (dropped after it), a temp folder for
/// the cache, and the comparison of databases built with and without the cache (<c>pg_dump --schema-only</c> and the
/// history rows).
/// </summary>
public abstract class CompiledRunTests : IAsyncLifetime
{
    private readonly TestDatabases _databases = new();
    private readonly TempFolder _temp = new();

    /// <summary>The full path of a folder of the test's, deleted after it.</summary>
    protected string TempPath => _temp.Path;

    /// <summary>The databases created so far, in creation order.</summary>
    protected IReadOnlyList<TestDatabase> Databases => _databases.All;

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _databases.DisposeAsync();
        _temp.Dispose();
    }

    /// <summary>Creates an empty database named after <paramref name="prefix"/>, dropped after the test.</summary>
    protected Task<TestDatabase> NewDatabaseAsync(string prefix) => _databases.CreateAsync(prefix);

    /// <summary>Asserts that every database in <paramref name="others"/> has <paramref name="expected"/>'s schema and history rows; returns the schema.</summary>
    protected static async Task<string> AssertSameDatabasesAsync(TestDatabase expected, params TestDatabase[] others)
    {
        var schema = await SchemaDump.OfAsync(expected.ConnectionString);
        var history = await HistoryRowsAsync(expected);
        foreach (var other in others)
        {
            Assert.Equal(schema, await SchemaDump.OfAsync(other.ConnectionString));
            Assert.Equal(history, await HistoryRowsAsync(other));
        }

        return schema;
    }

    /// <summary>The history table's rows as <c>MigrationId ProductVersion</c>, in id order.</summary>
    protected static async Task<List<string>> HistoryRowsAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""SELECT "MigrationId" || ' ' || "ProductVersion" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
