using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>
/// The <c>pgdump-parallel</c> strategy: a <c>pg_dump --format=directory --jobs</c> folder with a private mode, a sidecar whose
/// size and hash cover every file, listed and pruned by the catalogue, verified, and restored with <c>pg_restore --jobs</c>.
/// </summary>
public sealed class ParallelDumpTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();
    private readonly List<string> _extraDatabases = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(ParallelDumpTests));
        await SampleSchema.CreateAsync(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in _extraDatabases)
        {
            await _database.Server.DropDatabaseAsync(name);
        }
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider(int jobs = 2) =>
        new(_database.ConnectionString, "1.0.0", new PgTools(binFolder: null)) { ParallelJobs = jobs, RestoreJobs = jobs };

    [Fact]
    public async Task CreateAsync_writes_a_private_verified_directory_archive_that_restores_with_jobs()
    {
        var backup = await Provider().CreateAsync(_temp.Path, "20240101120000_Initial");

        Assert.True(Directory.Exists(backup.Path));
        Assert.EndsWith("_20240101120000_Initial.dir", backup.Path, StringComparison.Ordinal);
        Assert.Equal(BackupStrategies.DirectoryFormat, backup.Manifest.Format);
        var files = Directory.GetFiles(backup.Path);
        Assert.Contains(files, f => Path.GetFileName(f) == "toc.dat");
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), backup.Manifest.SizeBytes);
        Assert.Equal((await BackupHasher.ComputeFolderSha256Async(backup.Path)).Sha256, backup.Manifest.Sha256);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(backup.Path));
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.ManifestPath));
        Assert.Empty(Directory.GetDirectories(_temp.Path, "*.partial"));

        var catalog = new BackupCatalog();
        Assert.Equal([backup], catalog.List(_temp.Path));
        Assert.Equal(backup, catalog.Open(backup.Path));
        Assert.Equal(backup, catalog.Open(backup.ManifestPath));
        await Provider().VerifyAsync(backup);

        var copy = TestDatabase.NewName("pcopy");
        _extraDatabases.Add(copy);
        await Provider(jobs: 3).RestoreAsync(backup, copy);
        var copyConnection = _database.Server.ConnectionStringFor(copy);
        Assert.Equal(await SchemaDump.OfAsync(_database.ConnectionString), await SchemaDump.OfAsync(copyConnection));
        Assert.Equal(await SampleSchema.RowCountsAsync(_database), await SampleSchema.RowCountsAsync(copyConnection));
    }

    [Fact]
    public async Task A_changed_file_in_the_folder_fails_verification_and_the_restore()
    {
        var backup = await Provider().CreateAsync(_temp.Path, null);
        var data = Directory.GetFiles(backup.Path, "*.dat*").First(f => Path.GetFileName(f) != "toc.dat");
        var bytes = await File.ReadAllBytesAsync(data);
        bytes[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(data, bytes);

        var verify = await Assert.ThrowsAsync<BackupException>(() => Provider().VerifyAsync(backup));
        Assert.Contains("SHA-256", verify.Message, StringComparison.Ordinal);
        Assert.Contains(backup.Path, verify.Message, StringComparison.Ordinal);

        var copy = TestDatabase.NewName("pbad");
        _extraDatabases.Add(copy);
        await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, copy));
        Assert.False(await _database.Server.DatabaseExistsAsync(copy));
    }

    [Fact]
    public async Task Prune_deletes_directory_archives_beyond_keep_and_never_a_restore_point()
    {
        var older = await Provider().CreateAsync(_temp.Path, "A");
        var newer = await Provider().CreateAsync(_temp.Path, "B");
        var point = new RestorePointInfo("p", "0/1000000", DateTimeOffset.UtcNow, 1, "000000010000000000000001");
        var pointPath = Path.Combine(_temp.Path, BackupFileNames.ArchiveName(_database.Name, DateTimeOffset.UtcNow.AddDays(-30), "A", 1, BackupFileNames.RestorePointExtension));
        var manifest = older.Manifest with
        {
            File = Path.GetFileName(pointPath), Format = BackupStrategies.RestorePointFormat, SizeBytes = 0,
            Sha256 = PgRestorePointProvider.NameHash("p"), RestorePoint = point, CreatedUtc = DateTimeOffset.UtcNow.AddDays(-30),
        };
        BackupManifestSerializer.Write(pointPath + ".json", manifest);

        var catalog = new BackupCatalog();
        Assert.Equal(3, catalog.List(_temp.Path).Count);
        var deleted = catalog.Prune(_temp.Path, keep: 1, olderThan: null, _database.Name);

        Assert.Equal([older.Path], deleted.Select(d => d.Path));
        Assert.False(Directory.Exists(older.Path));
        Assert.False(File.Exists(older.ManifestPath));
        Assert.True(Directory.Exists(newer.Path));
        Assert.True(File.Exists(pointPath + ".json"));
        Assert.Equal(2, catalog.List(_temp.Path).Count);
    }
}
