using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>The swap of a restore over a database never leaves a moment without a database under its name.</summary>
public sealed class RestoreSwapTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(RestoreSwapTests));
        await SampleSchema.CreateAsync(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in await _database.Server.DatabasesLikeAsync(_database.Name + "_"))
        {
            await _database.Server.DropDatabaseAsync(name);
        }
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider() => new(_database.ConnectionString, "1.0.0", new PgTools(binFolder: null));

    /// <summary>
    /// A session sits on the restored copy when the swap comes (anyone may connect to it while pg_restore runs). Renaming
    /// the original away first and the copy in afterwards, as separate statements, left the name missing while the second
    /// rename waited for that session (and for good when the process was killed then). Both renames in one transaction,
    /// with the sessions on both ended first: a watcher polling <c>pg_database</c> throughout never sees the name missing.
    /// </summary>
    [Fact]
    public async Task ReplaceAsync_never_leaves_the_name_missing_even_with_a_session_on_the_restored_copy()
    {
        var backup = await Provider().CreateAsync(_temp.Path, null);
        await _database.ExecuteAsync("CREATE TABLE added_later (id int)");
        var missing = 0;
        var polls = 0;
        using var stop = new CancellationTokenSource();

        var squatter = Task.Run(async () =>
        {
            // Connect to the restore's copy as soon as it exists, and stay.
            while (!stop.IsCancellationRequested)
            {
                var copy = (await _database.Server.DatabasesLikeAsync(_database.Name + "_restore_")).FirstOrDefault();
                if (copy is not null)
                {
                    try
                    {
                        await using var on = new NpgsqlConnection(_database.Server.ConnectionStringFor(copy));
                        await on.OpenAsync();
                        await Task.Delay(Timeout.Infinite, stop.Token);
                    }
                    catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
                    {
                        return;
                    }
                }
                await Task.Delay(5);
            }
        });
        var watcher = Task.Run(async () =>
        {
            await using var server = new NpgsqlConnection(_database.Server.ConnectionString);
            await server.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", server);
            exists.Parameters.Add(new NpgsqlParameter { Value = _database.Name });
            while (!stop.IsCancellationRequested)
            {
                polls++;
                if ((long)(await exists.ExecuteScalarAsync())! == 0)
                {
                    missing++;
                }
                await Task.Delay(2);
            }
        });

        Exception? failure = null;
        try
        {
            await Provider().RestoreAsync(backup, intoDatabase: null);
        }
        catch (BackupException ex)
        {
            failure = ex;
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(squatter, watcher);
        }

        Assert.True(missing == 0, $"database \"{_database.Name}\" was missing in {missing} of {polls} polls during the restore");
        Assert.Null(failure);
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('public.added_later') IS NOT NULL"));
        Assert.Equal([_database.Name], await _database.Server.DatabasesLikeAsync(_database.Name));
    }

    [Fact]
    public async Task ReplaceAsync_with_a_backup_folder_backs_the_database_up_first()
    {
        var backup = await Provider().CreateAsync(_temp.Path, "20240101120000_Initial");
        await _database.ExecuteAsync("CREATE TABLE added_later (id int)");
        var folder = _temp.Combine("before");

        var result = await Provider().ReplaceAsync(backup, new RestoreOverOptions { BackupFolder = folder, HeadMigration = "20240102120000_Later" });

        Assert.NotNull(result.BackupBefore);
        Assert.Equal(Path.Combine(folder, Path.GetFileName(result.BackupBefore!.Path)), result.BackupBefore.Path);
        Assert.Equal("20240102120000_Later", result.BackupBefore.Manifest.HeadMigration);
        Assert.Null(result.LeftOver);
        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('public.added_later') IS NOT NULL"));

        await Provider().ReplaceAsync(result.BackupBefore, new RestoreOverOptions());
        Assert.True(await _database.ScalarAsync<bool>("SELECT to_regclass('public.added_later') IS NOT NULL"));
    }
}
