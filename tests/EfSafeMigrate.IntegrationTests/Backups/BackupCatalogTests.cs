using EfSafeMigrate.Backups;
using EfSafeMigrate.IntegrationTests.Support;

namespace EfSafeMigrate.IntegrationTests.Backups;

/// <summary>The catalog over hand-made archives and sidecars (no server needed).</summary>
public sealed class BackupCatalogTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private BackupEntry Write(string database, DateTimeOffset createdUtc, string? head = "20240101120000_Initial")
    {
        var name = BackupFileNames.ArchiveName(database, createdUtc, head);
        var path = _temp.Combine(name);
        File.WriteAllText(path, "archive of " + name);
        var manifest = new BackupManifest(name, database, "15.18", head, new FileInfo(path).Length,
            BackupHasher.ComputeSha256(path), "1.0.0", createdUtc, "custom");
        BackupManifestSerializer.Write(BackupFileNames.ManifestPathFor(path), manifest);
        return new BackupEntry(path, manifest);
    }

    [Fact]
    public void ArchiveName_follows_naming_rule_and_sanitises()
    {
        var at = new DateTimeOffset(2026, 11, 21, 7, 45, 1, TimeSpan.FromHours(1));
        Assert.Equal("shop_20261121_064501_20261121063000_AddTags.dump", BackupFileNames.ArchiveName("shop", at, "20261121063000_AddTags"));
        Assert.Equal("shop_20261121_064501_empty.dump", BackupFileNames.ArchiveName("shop", at, null));
        Assert.Equal("shop_20261121_064501_empty_03.dump", BackupFileNames.ArchiveName("shop", at, "", 3));
        Assert.Equal("my-db--x-_20261121_064501_a-b.dump", BackupFileNames.ArchiveName("my db/\"x\"", at, "a:b"));
        Assert.Equal("-hidden_20261121_064501_empty.dump", BackupFileNames.ArchiveName(".hidden", at, null));
        Assert.Equal(BackupFileNames.MaxPartLength, BackupFileNames.Sanitize(new string('x', 300)).Length);
    }

    [Fact]
    public void List_returns_readable_backups_newest_first_and_Scan_reports_the_rest()
    {
        var older = Write("shop", Now.AddDays(-2));
        var newer = Write("shop", Now.AddHours(-1));
        var other = Write("crm", Now.AddDays(-1));
        var noSidecar = _temp.Combine("shop_20260101_000000_empty.dump");
        File.WriteAllText(noSidecar, "x");
        var badSidecar = _temp.Combine("shop_20260102_000000_empty.dump");
        File.WriteAllText(badSidecar, "x");
        File.WriteAllText(badSidecar + ".json", "{ \"file\": \"x\" }");
        var orphan = _temp.Combine("shop_20260103_000000_empty.dump.json");
        File.WriteAllText(orphan, "{}");
        var partial = _temp.Combine("shop_20260104_000000_empty.dump.partial");
        File.WriteAllText(partial, "");
        File.WriteAllText(_temp.Combine("notes.txt"), "unrelated");

        var catalog = new BackupCatalog();
        var scan = catalog.Scan(_temp.Path);

        Assert.Equal([newer, other, older], catalog.List(_temp.Path));
        Assert.Equal([newer, other, older], scan.Entries);
        Assert.Equal([noSidecar, badSidecar, orphan, partial], scan.Unreadable.Select(u => u.Path));
        Assert.Contains("has no sidecar", scan.Unreadable[0].Reason);
        Assert.Contains("is not a valid backup manifest", scan.Unreadable[1].Reason);
        Assert.Contains(badSidecar + ".json", scan.Unreadable[1].Reason);
        Assert.Contains("has no archive", scan.Unreadable[2].Reason);
        Assert.Contains("incomplete", scan.Unreadable[3].Reason);
    }

    [Fact]
    public void List_of_missing_folder_is_empty()
    {
        Assert.Empty(new BackupCatalog().List(_temp.Combine("none")));
    }

    [Fact]
    public void Open_reads_sidecar_by_archive_or_sidecar_path()
    {
        var entry = Write("shop", Now);
        var catalog = new BackupCatalog();
        Assert.Equal(entry, catalog.Open(entry.Path));
        Assert.Equal(entry, catalog.Open(entry.ManifestPath));
    }

    [Fact]
    public void Open_names_the_file_when_archive_or_sidecar_is_missing_or_malformed()
    {
        var catalog = new BackupCatalog();
        var missing = _temp.Combine("nope.dump");
        Assert.Contains($"'{missing}' does not exist", Assert.Throws<BackupException>(() => catalog.Open(missing)).Message);

        var entry = Write("shop", Now);
        File.Delete(entry.ManifestPath);
        var noSidecar = Assert.Throws<BackupException>(() => catalog.Open(entry.Path));
        Assert.Contains($"has no sidecar '{entry.ManifestPath}'", noSidecar.Message);

        File.WriteAllText(entry.ManifestPath, "not json");
        Assert.Contains($"'{entry.ManifestPath}' is not a valid backup manifest", Assert.Throws<BackupException>(() => catalog.Open(entry.Path)).Message);

        File.WriteAllText(entry.ManifestPath, BackupManifestSerializer.Serialize(entry.Manifest).Replace(entry.Manifest.Sha256, "abc"));
        Assert.Contains("sha256", Assert.Throws<BackupException>(() => catalog.Open(entry.Path)).Message);
    }

    [Fact]
    public void Sidecar_is_indented_camel_case_json_that_round_trips()
    {
        var entry = Write("shop", Now, head: null);
        var json = File.ReadAllText(entry.ManifestPath);
        Assert.Contains("\n  \"file\": ", json);
        Assert.Contains("\"sizeBytes\": ", json);
        Assert.Contains("\"headMigration\": null", json);
        Assert.Contains("\"createdUtc\": \"2026-11-21T12:00:00+00:00\"", json);
        Assert.Equal(entry.Manifest, BackupManifestSerializer.Deserialize(json));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry.ManifestPath));
    }

    [Fact]
    public void Prune_keeps_newest_per_database_and_returns_deleted_oldest_first()
    {
        var shop1 = Write("shop", Now.AddDays(-3));
        var shop2 = Write("shop", Now.AddDays(-2));
        var shop3 = Write("shop", Now.AddDays(-1));
        var crm = Write("crm", Now.AddDays(-10));

        var deleted = new BackupCatalog(new FixedTimeProvider(Now)).Prune(_temp.Path, keep: 1, olderThan: null, database: "shop");

        Assert.Equal([shop1, shop2], deleted);
        Assert.Equal([shop3, crm], new BackupCatalog().List(_temp.Path));
        Assert.False(File.Exists(shop1.Path) || File.Exists(shop1.ManifestPath) || File.Exists(shop2.Path) || File.Exists(shop2.ManifestPath));
    }

    [Fact]
    public void Prune_without_database_counts_all_backups_and_honours_age()
    {
        var a = Write("shop", Now.AddDays(-40));
        var b = Write("crm", Now.AddDays(-20));
        var c = Write("shop", Now.AddDays(-5));
        var d = Write("crm", Now.AddDays(-1));

        var catalog = new BackupCatalog(new FixedTimeProvider(Now));
        var deleted = catalog.Prune(_temp.Path, keep: 1, olderThan: TimeSpan.FromDays(10), database: null);

        Assert.Equal([a, b], deleted);
        Assert.Equal([d, c], catalog.List(_temp.Path));
        Assert.Empty(catalog.Prune(_temp.Path, keep: 0, olderThan: TimeSpan.FromDays(10), database: null));
        Assert.Throws<ArgumentOutOfRangeException>(() => catalog.Prune(_temp.Path, keep: -1, olderThan: null, database: null));
    }

    [Fact]
    public void Prune_never_deletes_unreadable_archives()
    {
        var noSidecar = _temp.Combine("shop_20200101_000000_empty.dump");
        File.WriteAllText(noSidecar, "x");
        Write("shop", Now);

        Assert.Empty(new BackupCatalog().Prune(_temp.Path, keep: 1, olderThan: null, database: null));
        Assert.True(File.Exists(noSidecar));
    }

    [Fact]
    public async Task BackupHasher_gives_lower_case_sha256_hex()
    {
        var path = _temp.Combine("f");
        await File.WriteAllTextAsync(path, "abc");
        const string expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        Assert.Equal(expected, await BackupHasher.ComputeSha256Async(path));
        Assert.Equal(expected, BackupHasher.ComputeSha256(path));
    }
}
