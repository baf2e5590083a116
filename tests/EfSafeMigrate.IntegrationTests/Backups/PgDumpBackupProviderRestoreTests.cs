using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Testing;
using Npgsql;

namespace EfSafeMigrate.IntegrationTests.Backups;

public sealed class PgDumpBackupProviderRestoreTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private readonly TempFolder _temp = new();
    private readonly List<string> _extraDatabases = [];
    private readonly List<string> _roles = [];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(nameof(PgDumpBackupProviderRestoreTests));
        await SampleSchema.CreateAsync(_database);
    }

    public async Task DisposeAsync()
    {
        foreach (var name in _extraDatabases)
        {
            await _database.Server.DropDatabaseAsync(name);
        }
        await _database.DisposeAsync();
        foreach (var role in _roles)
        {
            await _database.Server.ExecuteAsync($"DROP ROLE IF EXISTS {PostgresServer.QuoteIdentifier(role)}");
        }
        _temp.Dispose();
    }

    private PgDumpBackupProvider Provider(TestDatabase? database = null) =>
        new((database ?? _database).ConnectionString, "1.0.0", new PgTools(binFolder: null));

    private string NewDatabaseName(string hint)
    {
        var name = TestDatabase.NewName(hint);
        _extraDatabases.Add(name);
        return name;
    }

    [Fact]
    public async Task RestoreAsync_into_new_database_gives_identical_schema_and_row_counts()
    {
        var backup = await Provider().CreateAsync(_temp.Path, "20240101120000_Initial");
        var copy = NewDatabaseName("copy");

        await Provider().RestoreAsync(backup, copy);

        var copyConnection = _database.Server.ConnectionStringFor(copy);
        Assert.Equal(await SchemaDump.OfAsync(_database.ConnectionString), await SchemaDump.OfAsync(copyConnection));
        Assert.Equal(await SampleSchema.RowCountsAsync(_database), await SampleSchema.RowCountsAsync(copyConnection));
        Assert.Equal([120L, 300L, 900L], (await SampleSchema.RowCountsAsync(copyConnection)).Values);
    }

    [Fact]
    public async Task RestoreAsync_into_existing_database_refuses_and_changes_nothing()
    {
        var backup = await Provider().CreateAsync(_temp.Path, null);
        await using var other = await TestDatabase.CreateAsync("existing");
        await other.ExecuteAsync("CREATE TABLE marker (id int)");

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, other.Name));

        Assert.Contains("already exists", error.Message);
        Assert.Contains(other.Name, error.Message);
        Assert.Equal(0L, await other.ScalarAsync<long>("SELECT count(*) FROM marker"));
    }

    [Fact]
    public async Task RestoreAsync_over_database_replaces_it()
    {
        var provider = Provider();
        var schemaAtBackup = await SchemaDump.OfAsync(_database.ConnectionString);
        var countsAtBackup = await SampleSchema.RowCountsAsync(_database);
        var backup = await provider.CreateAsync(_temp.Path, "20240101120000_Initial");

        await _database.ExecuteAsync("""
            CREATE TABLE added_later (id int);
            DELETE FROM customers WHERE id > 60;
            INSERT INTO "__EFMigrationsHistory" VALUES ('20240202120000_Later', '10.0.14');
            """);
        // A session left open on the database is ended by the restore.
        await using var lingering = await _database.OpenConnectionAsync();

        await provider.RestoreAsync(backup, null);

        Assert.False(await _database.ScalarAsync<bool>("SELECT to_regclass('public.added_later') IS NOT NULL"));
        Assert.Equal(countsAtBackup, await SampleSchema.RowCountsAsync(_database));
        Assert.Equal(schemaAtBackup, await SchemaDump.OfAsync(_database.ConnectionString));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM \"__EFMigrationsHistory\""));
        Assert.Equal("people who buy", await _database.ScalarAsync<string>("SELECT obj_description('customers'::regclass)"));
        Assert.Equal([_database.Name], await _database.Server.DatabasesLikeAsync(_database.Name));
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var command = new NpgsqlCommand("SELECT 1", lingering);
            await command.ExecuteScalarAsync();
        });
    }

    [Fact]
    public async Task RestoreAsync_over_database_keeps_object_owners()
    {
        var role = "r_" + TestDatabase.NewName("owner")[2..];
        _roles.Add(role);
        await _database.Server.ExecuteAsync($"CREATE ROLE {role} NOLOGIN");
        await _database.ExecuteAsync($"ALTER TABLE orders OWNER TO {role}");
        var backup = await Provider().CreateAsync(_temp.Path, null);

        await Provider().RestoreAsync(backup, null);

        Assert.Equal(role, await _database.ScalarAsync<string>("SELECT tableowner::text FROM pg_tables WHERE tablename = 'orders'"));
    }

    [Fact]
    public async Task RestoreAsync_over_database_leaves_original_untouched_when_restore_fails()
    {
        // A backup whose objects belong to a role that no longer exists cannot be restored as recorded.
        var role = "r_" + TestDatabase.NewName("gone")[2..];
        _roles.Add(role);
        await using var source = await TestDatabase.CreateAsync("source");
        await _database.Server.ExecuteAsync($"CREATE ROLE {role} NOLOGIN");
        await source.ExecuteAsync($"CREATE TABLE owned_by_gone_role (id int); ALTER TABLE owned_by_gone_role OWNER TO {role}");
        var backup = await Provider(source).CreateAsync(_temp.Path, null);
        await source.ExecuteAsync($"DROP OWNED BY {role}");
        await _database.Server.ExecuteAsync($"DROP ROLE {role}");
        var schemaBefore = await SchemaDump.OfAsync(_database.ConnectionString);

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, null));

        Assert.Contains("pg_restore could not restore", error.Message);
        Assert.Contains($"database \"{_database.Name}\" was not changed", error.Message);
        Assert.Contains(role, error.Message);
        Assert.Equal(schemaBefore, await SchemaDump.OfAsync(_database.ConnectionString));
        Assert.Equal(120L, await _database.ScalarAsync<long>("SELECT count(*) FROM customers"));
        Assert.Equal([_database.Name], await _database.Server.DatabasesLikeAsync(_database.Name));
        Assert.True(await _database.ScalarAsync<bool>($"SELECT datallowconn FROM pg_database WHERE datname = current_database()"));
    }

    [Fact]
    public async Task RestoreAsync_into_new_database_drops_it_again_when_restore_fails()
    {
        var role = "r_" + TestDatabase.NewName("gone")[2..];
        _roles.Add(role);
        await _database.Server.ExecuteAsync($"CREATE ROLE {role} NOLOGIN");
        await _database.ExecuteAsync($"CREATE TABLE owned (id int); ALTER TABLE owned OWNER TO {role}");
        var backup = await Provider().CreateAsync(_temp.Path, null);
        await _database.ExecuteAsync($"DROP OWNED BY {role}");
        await _database.Server.ExecuteAsync($"DROP ROLE {role}");
        var copy = NewDatabaseName("copy");

        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, copy));

        Assert.Contains($"database \"{copy}\" was dropped again", error.Message);
        Assert.False(await _database.Server.DatabaseExistsAsync(copy));
    }

    [Fact]
    public async Task RestoreAsync_of_tampered_archive_changes_nothing()
    {
        var backup = await Provider().CreateAsync(_temp.Path, null);
        var bytes = await File.ReadAllBytesAsync(backup.Path);
        bytes[^1] ^= 0x01;
        await File.WriteAllBytesAsync(backup.Path, bytes);
        await _database.ExecuteAsync("CREATE TABLE added_later (id int)");
        var copy = NewDatabaseName("copy");

        await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, copy));
        var error = await Assert.ThrowsAsync<BackupException>(() => Provider().RestoreAsync(backup, null));

        Assert.Contains("SHA-256", error.Message);
        Assert.False(await _database.Server.DatabaseExistsAsync(copy));
        Assert.True(await _database.ScalarAsync<bool>("SELECT to_regclass('public.added_later') IS NOT NULL"));
    }
}
