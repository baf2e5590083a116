using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>
/// Verification reads the whole archive, not only its table of contents; partial files left by a killed backup are
/// pruned unless a running backup holds them.
/// </summary>
public sealed class BackupVerificationTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(BackupVerificationTests));
        await _database.ExecuteAsync("""
            CREATE TABLE first (id int PRIMARY KEY, payload text);
            CREATE TABLE second (id int PRIMARY KEY, payload text);
            INSERT INTO first SELECT i, md5(i::text) || md5((i * 7)::text) FROM generate_series(1, 20000) i;
            INSERT INTO second SELECT i, md5(i::text) || md5((i * 13)::text) FROM generate_series(1, 20000) i;
            """);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider() => new(_database.ConnectionString, "1.0.0", new PgTools(binFolder: null));

    /// <summary>
    /// An archive cut short whose sidecar was rewritten to match (as a copy that stopped half-way and was re-hashed, or a
    /// sidecar written from the truncated file) passes <c>pg_restore --list</c>, which reads only the table of contents;
    /// verification must read the data too and fail.
    /// </summary>
    [Fact]
    public async Task VerifyAsync_fails_on_a_truncated_archive_whose_sidecar_matches_it()
    {
        var backup = await Provider().CreateAsync(_temp.Path, "20240101120000_Initial");
        await Provider().VerifyAsync(backup);

        var bytes = await File.ReadAllBytesAsync(backup.Path);
        File.SetUnixFileMode(backup.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await File.WriteAllBytesAsync(backup.Path, bytes[..(bytes.Length * 2 / 3)]);
        var truncated = backup with
        {
            Manifest = backup.Manifest with
            {
                SizeBytes = bytes.Length * 2 / 3,
                Sha256 = await BackupHasher.ComputeSha256Async(backup.Path),
            },
        };
        var list = await new PgTools(binFolder: null).RunAsync(new PgTools(binFolder: null).Find(PgTools.PgRestore)!, ["--list", backup.Path], null);
        Assert.True(list.Succeeded, "pg_restore --list is expected to pass on the truncated archive (only the data is cut): " + list.ErrorSummary);

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().VerifyAsync(truncated));

        Assert.Contains("cannot read the whole backup archive", error.Message);
        Assert.Contains(backup.Path, error.Message);
    }

    [Fact]
    public async Task PrunePartials_deletes_partial_files_nobody_holds_and_keeps_one_a_backup_is_writing()
    {
        var left = _temp.Combine("shop_20240101_120000_empty.dump.partial");
        var leftSidecar = _temp.Combine("shop_20240101_120000_empty.dump.json.partial");
        var writing = _temp.Combine("shop_20240101_120001_empty.dump.partial");
        await File.WriteAllTextAsync(left, "half an archive");
        await File.WriteAllTextAsync(leftSidecar, "");
        var other = _temp.Combine("notes.partial");
        await File.WriteAllTextAsync(other, "not a backup");

        using (var held = PrivateFiles.CreateNewHeld(writing))
        {
            var (deleted, kept) = new BackupCatalog().PrunePartials(_temp.Path);

            Assert.Equal(new[] { left, leftSidecar }.Order(StringComparer.Ordinal), deleted.Order(StringComparer.Ordinal));
            Assert.Equal([writing], kept);
            Assert.True(File.Exists(writing));
            Assert.True(File.Exists(other));
        }

        var (afterwards, _) = new BackupCatalog().PrunePartials(_temp.Path);
        Assert.Equal([writing], afterwards);
    }

    [Fact]
    public async Task CreateAsync_holds_its_partial_archive_so_prune_keeps_it_while_pg_dump_runs()
    {
        using var bin = new FakePgBin();
        var pgDump = new PgTools(binFolder: null).Find(PgTools.PgDump)!;
        var pgRestore = new PgTools(binFolder: null).Find(PgTools.PgRestore)!;
        bin.Add("pg_dump", "99.0", $"sleep 2; exec {pgDump} \"$@\"").Add("pg_restore", "99.0", $"exec {pgRestore} \"$@\"");
        var provider = new PgDumpBackupProvider(_database.ConnectionString, "1.0.0", new PgTools(bin.Path));

        var create = provider.CreateAsync(_temp.Path, null);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.GetFiles(_temp.Path, "*.partial").Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var (deleted, held) = new BackupCatalog().PrunePartials(_temp.Path);
        Assert.Empty(deleted);
        Assert.Single(held);
        var entry = await create;
        Assert.True(File.Exists(entry.Path));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.partial"));
    }
}
