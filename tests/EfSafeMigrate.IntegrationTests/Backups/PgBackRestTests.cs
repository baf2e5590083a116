using System.Diagnostics;
using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>
/// The <c>pgbackrest</c> strategy against a real pgBackRest stanza on a throwaway cluster (<see cref="PostgresServer.PgBackRest"/>):
/// backups checked with <c>info</c> and <c>verify</c> and recorded, the record checked, restoring printed, bad settings refused.
/// </summary>
public sealed class PgBackRestTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private TestDatabase _database = null!;
    private IDisposable? _stanzaLock;

    public async Task InitializeAsync()
    {
        _stanzaLock = PostgresServer.LockPgBackRestStanza();
        _database = await TestDatabase.CreateOnAsync(PostgresServer.PgBackRest, nameof(PgBackRestTests));
        await _database.ExecuteAsync("CREATE TABLE items (id int PRIMARY KEY, name text); INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 1000) i;");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _temp.Dispose();
        _stanzaLock?.Dispose();
    }

    private PgBackRestProvider Provider(string stanza = "main") =>
        new(_database.ConnectionString, "1.0.0", stanza, PostgresServer.PgBackRest.PgBackRestConfig, program: PostgresServer.PgBackRest.PgBackRestProgram);

    [Fact]
    public async Task CreateAsync_takes_a_verified_backup_and_records_its_label()
    {
        var provider = Provider();
        await provider.CheckAvailableAsync();

        var first = await provider.CreateAsync(_temp.Path, "20240101120000_Initial");
        await _database.ExecuteAsync("INSERT INTO items SELECT i, 'more ' || i FROM generate_series(1001, 2000) i;");
        var second = await provider.CreateAsync(_temp.Path, "20240101120000_Initial");

        var info = Assert.IsType<PgBackRestBackupInfo>(second.Manifest.PgBackRest);
        Assert.Equal(BackupStrategies.PgBackRestFormat, second.Manifest.Format);
        Assert.Equal("main", info.Stanza);
        Assert.Equal("incr", info.Type);
        Assert.NotEqual(first.Manifest.PgBackRest!.Label, info.Label);
        Assert.StartsWith(first.Manifest.PgBackRest!.Label.Split('_')[0], info.Label, StringComparison.Ordinal); // an incremental on the same full
        Assert.True(info.DatabaseBytes > 0);
        Assert.EndsWith(".pgbackrest", second.Path, StringComparison.Ordinal);
        Assert.False(File.Exists(second.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(second.ManifestPath));

        // pgBackRest itself lists the label.
        var listed = Run(PostgresServer.PgBackRest.PgBackRestProgram!, $"--config={PostgresServer.PgBackRest.PgBackRestConfig}", "--stanza=main", "info", "--output=json");
        Assert.Contains($"\"label\":\"{info.Label}\"", listed, StringComparison.Ordinal);

        var catalog = new BackupCatalog();
        Assert.Equal(2, catalog.List(_temp.Path).Count);
        Assert.Equal(second, catalog.Open(second.Path));
        await PgBackRestProvider.VerifyBackupAsync(second, PostgresServer.PgBackRest.PgBackRestProgram);
        Assert.Empty(catalog.Prune(_temp.Path, keep: 0, olderThan: null, _database.Name)); // never deleted by retention

        var refused = await Assert.ThrowsAsync<BackupException>(() => provider.RestoreAsync(second, null));
        Assert.Contains($"--stanza=main restore --delta --set={info.Label} --type=immediate", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);

        var tampered = second with { Manifest = second.Manifest with { PgBackRest = info with { Label = first.Manifest.PgBackRest.Label } } };
        Assert.Contains("was changed", Assert.Throws<BackupException>(() => PgBackRestProvider.Check(tampered)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_stanza_is_refused_before_anything_is_written()
    {
        var failure = await Assert.ThrowsAsync<BackupException>(() => Provider("nosuchstanza").CreateAsync(_temp.Path, null));

        Assert.Contains("nosuchstanza", failure.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Path) && Directory.EnumerateFileSystemEntries(_temp.Path).Any());
    }

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
