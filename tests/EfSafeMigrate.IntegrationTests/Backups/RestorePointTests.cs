using Xunit.Abstractions;
using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>
/// The <c>restore-point</c> strategy against real servers: one that archives its WAL (<see cref="PostgresServer.Archiving"/>),
/// one whose archiver fails (<see cref="PostgresServer.FailingArchiver"/>), and the shared test server, which does not archive.
/// </summary>
public sealed class RestorePointTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private readonly TestDatabases _databases = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _databases.DisposeAsync();
        _temp.Dispose();
    }

    private Task<TestDatabase> DatabaseOn(PostgresServer server) => _databases.CreateAsync(nameof(RestorePointTests), server);

    [Fact]
    public async Task CreateAsync_makes_an_archived_named_restore_point_and_records_it()
    {
        var database = await DatabaseOn(PostgresServer.Archiving);
        var provider = new PgRestorePointProvider(database.ConnectionString, "1.0.0");
        await provider.CheckAvailableAsync();

        var entry = await provider.CreateAsync(_temp.Path, "20240101120000_Initial");

        var point = Assert.IsType<RestorePointInfo>(entry.Manifest.RestorePoint);
        Assert.Equal(BackupStrategies.RestorePointFormat, entry.Manifest.Format);
        Assert.StartsWith(database.Name[..20], point.Name, StringComparison.Ordinal);
        Assert.True(point.Name.Length <= PgRestorePointProvider.MaxNameLength);
        Assert.True(File.Exists(entry.ManifestPath));
        Assert.False(File.Exists(entry.Path));
        Assert.EndsWith(".restore-point", entry.Path, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry.ManifestPath));
        // The WAL segment holding the point is in the archive, and the server's own record agrees with the sidecar.
        Assert.True(File.Exists(Path.Combine(PostgresServer.Archiving.WalArchive!, point.WalFile)));
        Assert.Equal(point.WalFile, await database.ScalarAsync<string>($"SELECT pg_walfile_name('{point.Lsn}'::pg_lsn)"));
        Assert.True(await database.ScalarAsync<bool>("SELECT last_archived_wal >= $1 FROM pg_stat_archiver", point.WalFile));

        var listed = Assert.Single(new BackupCatalog().List(_temp.Path));
        Assert.Equal(entry, listed);
        Assert.Equal(entry, new BackupCatalog().Open(entry.Path));
        Assert.Equal(entry, new BackupCatalog().Open(entry.ManifestPath));
        await provider.VerifyAsync(entry);

        var refused = await Assert.ThrowsAsync<BackupException>(() => provider.RestoreAsync(entry, null));
        Assert.Contains($"recovery_target_name = '{point.Name}'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("restore_command", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_archiving_is_refused_and_nothing_is_written()
    {
        var database = await DatabaseOn(PostgresServer.Instance);
        var provider = new PgRestorePointProvider(database.ConnectionString, "1.0.0");

        var refused = await Assert.ThrowsAsync<BackupException>(() => provider.CreateAsync(_temp.Path, null));

        Assert.Contains("archive_mode is 'off'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--backup-strategy pgdump", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(_temp.Path) && Directory.EnumerateFileSystemEntries(_temp.Path).Any());
    }

    [Fact]
    public async Task A_failing_archiver_fails_the_backup_and_then_the_check()
    {
        var database = await DatabaseOn(PostgresServer.FailingArchiver);
        var provider = new PgRestorePointProvider(database.ConnectionString, "1.0.0") { ArchiveTimeout = TimeSpan.FromSeconds(30) };

        // The first time the archiver may not have failed yet: the point is made, and its WAL file never gets archived.
        var first = await Record.ExceptionAsync(() => provider.CreateAsync(_temp.Path, null));
        var firstFailure = Assert.IsType<BackupException>(first);
        Assert.Contains("archive", firstFailure.Message, StringComparison.Ordinal);

        // From then on pg_stat_archiver shows the failure, and the check before any backup refuses.
        var check = await Assert.ThrowsAsync<BackupException>(() => provider.CheckAvailableAsync());
        Assert.Contains("the archiver", check.Message, StringComparison.Ordinal);
        Assert.Contains("is failing", check.Message, StringComparison.Ordinal);
        Assert.Contains("Fix archive_command", check.Message, StringComparison.Ordinal);
        output.WriteLine(check.Message);
        Assert.Empty(new BackupCatalog().List(_temp.Path));
    }
}
