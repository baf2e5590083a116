using System.Diagnostics;
using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>pg_dump failing or being cancelled, with fake programs passed to <see cref="PgTools"/> directly.</summary>
public sealed class PgDumpBackupProviderFailureTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();
    private readonly FakePgBin _bin = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(PgDumpBackupProviderFailureTests));
        await _database.ExecuteAsync("CREATE TABLE t (id int)");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _bin.Dispose();
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider() => new(_database.ConnectionString, "1.0.0", new PgTools(_bin.Path));

    [Fact]
    public async Task CreateAsync_when_pg_dump_fails_reports_its_error_and_deletes_partial_archive()
    {
        _bin.Add("pg_dump", "99.0", """
            for a in "$@"; do case "$a" in --file=*) echo "half an archive" > "${a#--file=}";; esac; done
            echo "pg_dump: error: query failed: disk quota exceeded" >&2
            exit 1
            """)
            .Add("pg_restore", "99.0");
        var folder = _temp.Combine("b");

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().CreateAsync(folder, "20240101120000_Initial"));

        Assert.Contains("disk quota exceeded", error.Message);
        Assert.Contains(_database.Name, error.Message);
        Assert.Contains(Path.GetFullPath(folder), error.Message);
        Assert.False(Directory.Exists(folder), "the folder created for the backup is removed again when empty");
    }

    [Fact]
    public async Task CreateAsync_leaves_existing_folder_but_removes_its_partial_archive_on_failure()
    {
        _bin.Add("pg_dump", "99.0", "echo boom >&2; exit 2").Add("pg_restore", "99.0");
        var folder = _temp.Combine("existing");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "keep.txt"), "x");

        await Assert.ThrowsAsync<BackupException>(() => Provider().CreateAsync(folder, null));

        Assert.Equal([Path.Combine(folder, "keep.txt")], Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public async Task CreateAsync_cancelled_during_dump_kills_pg_dump_and_deletes_partial_archive()
    {
        _bin.Add("pg_dump", "99.0", "exec sleep 60").Add("pg_restore", "99.0");
        var folder = _temp.Combine("b");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Provider().CreateAsync(folder, null, cancel.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task CheckAvailableAsync_refuses_pg_restore_older_than_pg_dump()
    {
        _bin.Add("pg_dump", "99.0").Add("pg_restore", "9.6.0");
        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().CheckAvailableAsync());
        Assert.Contains("pg_restore 9.6 cannot read archives written by pg_dump 99", error.Message);
    }
}
