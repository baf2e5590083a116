using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>Pruning real pg_dump backups.</summary>
public sealed class BackupPruneTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(BackupPruneTests));
        await _database.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Prune_keeps_the_newest_N_backups()
    {
        var provider = new PgDumpBackupProvider(_database.ConnectionString, "1.0.0", new PgTools(binFolder: null));
        var created = new List<BackupEntry>();
        foreach (var head in new[] { "20240101000000_A", "20240102000000_B", "20240103000000_C", "20240104000000_D" })
        {
            created.Add(await provider.CreateAsync(_temp.Path, head));
        }

        var deleted = new BackupCatalog().Prune(_temp.Path, keep: 2, olderThan: null, database: _database.Name);

        Assert.Equal(created.Take(2), deleted);
        Assert.Equal(created.Skip(2).Reverse(), new BackupCatalog().List(_temp.Path));
        Assert.Equal(4, Directory.GetFiles(_temp.Path).Length);
        foreach (var kept in created.Skip(2))
        {
            await provider.VerifyAsync(kept);
        }
    }
}
