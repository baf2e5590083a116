using System.Text.RegularExpressions;
using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Backups;

public sealed class PgDumpBackupProviderCreateTests : IAsyncLifetime
{
    private const string Head = "20240101120000_Initial";
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(PgDumpBackupProviderCreateTests));
        await SampleSchema.CreateAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider(string? connectionString = null) =>
        new(connectionString ?? _database.ConnectionString, "1.2.3-test", new PgTools(binFolder: null));

    [Fact]
    public async Task CreateAsync_writes_verified_archive_with_mode_0600()
    {
        var folder = _temp.Combine("backups", "nested");
        var before = DateTimeOffset.UtcNow;

        var backup = await Provider().CreateAsync(folder, Head);

        Assert.Equal(Path.GetFullPath(folder), Path.GetDirectoryName(backup.Path));
        Assert.Matches(new Regex($@"^{_database.Name}_\d{{8}}_\d{{6}}_{Head}\.dump$"), Path.GetFileName(backup.Path));
        Assert.True(File.Exists(backup.Path));
        Assert.True(File.Exists(backup.ManifestPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup.ManifestPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(2, Directory.GetFiles(folder).Length); // no .partial left

        var manifest = backup.Manifest;
        Assert.Equal(Path.GetFileName(backup.Path), manifest.File);
        Assert.Equal(_database.Name, manifest.Database);
        Assert.Equal(Head, manifest.HeadMigration);
        Assert.Equal("custom", manifest.Format);
        Assert.Equal("1.2.3-test", manifest.ToolVersion);
        Assert.Equal(await _database.ScalarAsync<string>("SHOW server_version"), manifest.ServerVersion);
        Assert.Equal(new FileInfo(backup.Path).Length, manifest.SizeBytes);
        Assert.Equal(BackupHasher.ComputeSha256(backup.Path), manifest.Sha256);
        Assert.InRange(manifest.CreatedUtc, before.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.StartsWith($"{_database.Name}_{manifest.CreatedUtc.UtcDateTime:yyyyMMdd_HHmmss}_", manifest.File);

        // The sidecar is camelCase JSON that the catalog reads back to the same manifest.
        var json = await File.ReadAllTextAsync(backup.ManifestPath);
        Assert.Contains("\"sha256\": ", json);
        Assert.Contains("\"headMigration\": ", json);
        Assert.Equal(backup, new BackupCatalog().Open(backup.Path));

        // A custom-format archive pg_restore can list, holding the schema and the data.
        var tools = new PgTools(binFolder: null);
        var list = await tools.RunAsync(tools.Find(PgTools.PgRestore)!, ["--list", backup.Path], null);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("TABLE DATA public customers", list.StandardOutput);
        Assert.Contains("TYPE public order_status", list.StandardOutput);

        await Provider().VerifyAsync(backup);
    }

    [Fact]
    public async Task CreateAsync_names_backup_empty_without_head_migration_and_numbers_same_second_names()
    {
        var folder = _temp.Combine("b");
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 11, 21, 6, 45, 1, TimeSpan.Zero));
        var provider = new PgDumpBackupProvider(_database.ConnectionString, "1.0.0", new PgTools(binFolder: null), clock);

        var first = await provider.CreateAsync(folder, null);
        var second = await provider.CreateAsync(folder, null);

        Assert.Equal($"{_database.Name}_20261121_064501_empty.dump", Path.GetFileName(first.Path));
        Assert.Equal($"{_database.Name}_20261121_064501_empty_02.dump", Path.GetFileName(second.Path));
        Assert.Null(first.Manifest.HeadMigration);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 6, 45, 1, TimeSpan.Zero), first.Manifest.CreatedUtc);
        Assert.Equal(2, new BackupCatalog().List(folder).Count);
        // Same start time: the later one is listed first (newest first), as its name sorts after the first one's.
        Assert.Equal([second.Path, first.Path], new BackupCatalog().List(folder).Select(e => e.Path));
    }

    [Fact]
    public async Task VerifyAsync_detects_tampered_archive()
    {
        var provider = Provider();
        var backup = await provider.CreateAsync(_temp.Combine("b"), Head);

        // Same size, one byte changed in the middle.
        var bytes = await File.ReadAllBytesAsync(backup.Path);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(backup.Path, bytes);

        var changed = await Assert.ThrowsAsync<BackupException>(() => provider.VerifyAsync(backup));
        Assert.Contains("SHA-256", changed.Message);
        Assert.Contains(backup.Path, changed.Message);

        // Different size.
        await File.AppendAllTextAsync(backup.Path, "x");
        var longer = await Assert.ThrowsAsync<BackupException>(() => provider.VerifyAsync(backup));
        Assert.Contains($"{bytes.Length + 1} bytes", longer.Message);
        Assert.Contains($"{backup.Manifest.SizeBytes} bytes", longer.Message);
    }

    [Fact]
    public async Task VerifyAsync_rejects_archive_pg_restore_cannot_read_even_when_hash_matches()
    {
        var provider = Provider();
        var backup = await provider.CreateAsync(_temp.Combine("b"), Head);
        await File.WriteAllTextAsync(backup.Path, "not a pg_dump archive");
        var forged = backup with
        {
            Manifest = backup.Manifest with { SizeBytes = new FileInfo(backup.Path).Length, Sha256 = BackupHasher.ComputeSha256(backup.Path) },
        };

        var error = await Assert.ThrowsAsync<BackupException>(() => provider.VerifyAsync(forged));
        Assert.Contains("pg_restore cannot read", error.Message);
    }

    [Fact]
    public async Task CreateAsync_into_folder_that_cannot_be_created_throws_and_leaves_no_files()
    {
        // Tests run as root, where chmod does not stop writes: a folder below a regular file can never be created.
        var blocker = _temp.Combine("blocker");
        await File.WriteAllTextAsync(blocker, "");
        var folder = Path.Combine(blocker, "sub");

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().CreateAsync(folder, Head));

        Assert.Contains("not writable", error.Message);
        Assert.Contains(folder, error.Message);
        Assert.Contains(_database.Name, error.Message);
        Assert.Equal([blocker], Directory.GetFileSystemEntries(_temp.Path));
        Assert.Equal(0, new FileInfo(blocker).Length);
    }

    [Fact]
    public async Task CreateAsync_with_wrong_password_throws_without_the_password_and_leaves_no_files()
    {
        const string wrongPassword = "Wr0ng-Secret-7f3a9c";
        var connectionString = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Password = wrongPassword }.ConnectionString;
        var folder = _temp.Combine("b");

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider(connectionString).CreateAsync(folder, Head));

        Assert.DoesNotContain(wrongPassword, error.Message);
        Assert.DoesNotContain("Password=", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(_database.Name, error.Message);
        Assert.Contains("password authentication failed", error.Message);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());

        var check = await Assert.ThrowsAsync<BackupException>(() => Provider(connectionString).CheckAvailableAsync());
        Assert.DoesNotContain(wrongPassword, check.Message);
    }

    [Fact]
    public async Task CreateAsync_of_missing_database_throws_naming_it()
    {
        var connectionString = _database.Server.ConnectionStringFor(TestDatabase.NewName("missing"));
        var error = await Assert.ThrowsAsync<BackupException>(() => Provider(connectionString).CreateAsync(_temp.Combine("b"), null));
        Assert.Contains("does not exist", error.Message);
        Assert.Contains(new PgConnectionInfo(connectionString).Database, error.Message);
    }

    [Fact]
    public async Task CheckAvailableAsync_succeeds_with_installed_pg_dump()
    {
        await Provider().CheckAvailableAsync();
    }
}
