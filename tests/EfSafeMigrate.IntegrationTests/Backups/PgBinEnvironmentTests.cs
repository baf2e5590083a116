using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>SAFE_MIGRATE_PG_BIN pointing to fake or missing programs; changes the process environment.</summary>
[Collection(nameof(ProcessEnvironmentCollection))]
public sealed class PgBinEnvironmentTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();
    private readonly FakePgBin _bin = new();
    private readonly string? _previous = Environment.GetEnvironmentVariable(PgTools.BinFolderVariable);

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(PgBinEnvironmentTests));
        Environment.SetEnvironmentVariable(PgTools.BinFolderVariable, _bin.Path);
    }

    public async Task DisposeAsync()
    {
        Environment.SetEnvironmentVariable(PgTools.BinFolderVariable, _previous);
        await _database.DisposeAsync();
        _bin.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task CheckAvailableAsync_with_pg_dump_older_than_server_names_both_versions()
    {
        _bin.Add("pg_dump", "9.6.0").Add("pg_restore", "9.6.0");
        var serverMajor = PgVersion.FromServerVersionNum(int.Parse(await _database.ScalarAsync<string>("SHOW server_version_num"))).MajorLabel;
        var provider = new PgDumpBackupProvider(_database.ConnectionString, "1.0.0");

        var error = await Assert.ThrowsAsync<BackupException>(() => provider.CheckAvailableAsync());

        Assert.Contains($"pg_dump 9.6 cannot dump a PostgreSQL {serverMajor} server", error.Message);
        Assert.Contains(Path.Combine(_bin.Path, "pg_dump"), error.Message);
        Assert.Contains($"Install pg_dump {serverMajor} or newer", error.Message);
        Assert.Contains(PgTools.BinFolderVariable, error.Message);
    }

    [Fact]
    public async Task CreateAsync_with_pg_dump_too_old_fails_before_writing_anything()
    {
        _bin.Add("pg_dump", "9.6.0", "echo should not run >&2; exit 1").Add("pg_restore", "9.6.0");
        var folder = _temp.Combine("b");

        var error = await Assert.ThrowsAsync<BackupException>(() => new PgDumpBackupProvider(_database.ConnectionString, "1.0.0").CreateAsync(folder, null));

        Assert.Contains("cannot dump a PostgreSQL", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task CheckAvailableAsync_without_pg_dump_says_not_found_and_how_to_fix()
    {
        var provider = new PgDumpBackupProvider(_database.ConnectionString, "1.0.0");

        var error = await Assert.ThrowsAsync<BackupException>(() => provider.CheckAvailableAsync());

        Assert.Contains("pg_dump was not found", error.Message);
        Assert.Contains($"{PgTools.BinFolderVariable} ({_bin.Path})", error.Message);
        Assert.Contains("postgresql-client", error.Message);
    }

    [Fact]
    public void PgTools_uses_only_the_folder_in_SAFE_MIGRATE_PG_BIN()
    {
        _bin.Add("pg_dump", "16.1");
        var tools = new PgTools();

        Assert.Equal(_bin.Path, tools.BinFolder);
        Assert.Equal([Path.Combine(_bin.Path, "pg_dump")], tools.FindAll(PgTools.PgDump));
        Assert.Null(tools.Find(PgTools.PgRestore));
    }
}
