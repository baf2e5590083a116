using System.Text.Json;
using EfSafeMigrate.EndToEndTests.Infrastructure;
using EfSafeMigrate.Testing;
using Xunit.Abstractions;

namespace EfSafeMigrate.EndToEndTests.Tests;

[ExpectedSeconds(35)]
public class BackupTests(ITestOutputHelper output)
{
    private static FixtureProject Shop => FixtureProjects.Shop;

    [Fact]
    public void Backup_of_populated_database_restores_into_new_database_with_identical_schema_and_rows()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        InsertRows(session.ConnectionString);

        var create = session.Run("backup", "create", "--json");

        Assert.True(create.ExitCode == 0, create.Describe());
        var json = ToolSession.Json(create);
        var archive = json.GetProperty("path").GetString()!;
        Assert.Contains(archive, session.Archives());
        var manifest = BackupAssertions.AssertArchive(archive, session.DatabaseName, Shop.Last);
        // (The exact JSON shape, the manifest's fields beside "path", is checked by Backup_create_prints_the_path_....)
        var printed = json.TryGetProperty("manifest", out var nested) ? nested : json;
        Assert.Equal(manifest.GetProperty("sha256").GetString(), printed.GetProperty("sha256").GetString());
        Assert.Equal(manifest.GetProperty("sizeBytes").GetInt64(), printed.GetProperty("sizeBytes").GetInt64());

        using var restoredHandle = E2eDatabase.Adopt();
        var restoredName = restoredHandle.Name;
        var restore = session.Run("backup", "restore", archive, "--into", restoredName, "--yes");

        Assert.True(restore.ExitCode == 0, restore.Describe());
        var restored = restoredHandle.ConnectionString;
        Assert.Equal(Pg.SchemaDump(session.ConnectionString), Pg.SchemaDump(restored));
        var expectedCounts = Pg.RowCounts(session.ConnectionString);
        Assert.Equal(UserAndHistoryCounts(expectedCounts), UserAndHistoryCounts(Pg.RowCounts(restored)));
        Assert.True(expectedCounts["Products"] > 0 && expectedCounts["OrderLines"] > 0);
        Assert.Equal(Shop.MigrationIds, Pg.History(restored));

        // The source database was not touched by the restore.
        Assert.Equal(expectedCounts, Pg.RowCounts(session.ConnectionString));
    }

    [Fact]
    public void Backup_create_prints_the_path_or_the_manifest_with_path_and_list_shows_every_backup()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());

        var create = session.Run("backup", "create");

        Assert.True(create.ExitCode == 0, create.Describe());
        var path = create.StdOut.Trim();
        Assert.True(File.Exists(path), $"stdout of backup create is not an existing file:{Environment.NewLine}{create.Describe()}");
        Assert.Equal(2, session.Archives().Count);

        // --json: "schemaVersion", the manifest (the sidecar's fields) and "path".
        var createJson = session.Run("backup", "create", "--json");
        Assert.True(createJson.ExitCode == 0, createJson.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup create", createJson.StdOut));
        var json = ToolSession.Json(createJson);
        var jsonPath = json.GetProperty("path").GetString()!;
        using (var sidecar = JsonDocument.Parse(File.ReadAllText(jsonPath + ".json")))
        {
            var expected = sidecar.RootElement.EnumerateObject().Select(p => p.Name).Append("path").Append("schemaVersion").Order(StringComparer.Ordinal);
            Assert.Equal(expected, json.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            foreach (var property in sidecar.RootElement.EnumerateObject())
            {
                Assert.Equal(property.Value.ToString(), json.GetProperty(property.Name).ToString());
            }
        }

        var list = session.Run("backup", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup list", list.StdOut));
        var listed = Strings(ToolSession.Json(list).GetProperty("backups")).ToList();
        foreach (var archive in session.Archives())
        {
            Assert.Contains(listed, s => s == archive || s == Path.GetFileName(archive));
        }

        var plain = session.Run("backup", "list");
        Assert.True(plain.ExitCode == 0, plain.Describe());
        foreach (var archive in session.Archives())
        {
            Assert.Contains(Path.GetFileName(archive), plain.StdOut);
        }
    }

    [Fact]
    public void Backup_verify_exits_1_when_the_archive_was_changed()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply", Shop.MigrationIds[0]);
        Assert.True(apply.ExitCode == 0, apply.Describe());
        var create = session.Run("backup", "create", "--json");
        Assert.True(create.ExitCode == 0, create.Describe());
        var archive = ToolSession.Json(create).GetProperty("path").GetString()!;

        var ok = session.Run("backup", "verify", archive);
        Assert.True(ok.ExitCode == 0, ok.Describe());

        var bytes = File.ReadAllBytes(archive);
        bytes[bytes.Length / 2] ^= 0x5a;
        File.WriteAllBytes(archive, bytes);
        var changed = session.Run("backup", "verify", archive);

        Assert.True(changed.ExitCode == 1, changed.Describe());
    }

    [Fact]
    public void Backup_prune_keeps_the_newest_archives()
    {
        using var session = ToolSession.Create(Shop, output);
        var apply = session.Run("apply");
        Assert.True(apply.ExitCode == 0, apply.Describe());
        for (var i = 0; i < 2; i++)
        {
            var create = session.Run("backup", "create");
            Assert.True(create.ExitCode == 0, create.Describe());
        }

        // Oldest first by when each dump started (the sidecar's createdUtc): the apply's backup is named after the empty
        // database, so within one second it does not sort first by name.
        var before = session.Archives().OrderBy(CreatedUtc).ToList();
        Assert.Equal(3, before.Count);

        var prune = session.Run("backup", "prune", "--keep", "1", "--json");

        Assert.True(prune.ExitCode == 0, prune.Describe());
        Assert.Null(MachineOutputSchemas.Problems("backup prune", prune.StdOut));
        Assert.Equal(before[..^1].Order(StringComparer.Ordinal), ToolSession.Json(prune).GetProperty("deleted").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal([before[^1]], session.Archives());
        Assert.Equal([Path.GetFileName(before[^1]), Path.GetFileName(before[^1]) + ".json"],
            Directory.GetFiles(session.BackupDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void Backup_dir_not_writable_fails_with_exit_4_and_applies_nothing()
    {
        using var session = ToolSession.Create(Shop, output);
        var regularFile = Path.Combine(session.WorkDir, "not-a-directory");
        File.WriteAllText(regularFile, "a regular file, so nothing can be created below it, even by root");
        var backupDir = Path.Combine(regularFile, "backups");

        var apply = session.Run(new RunOptions { BackupDir = backupDir }, "apply");

        Assert.True(apply.ExitCode == 4, apply.Describe());
        Assert.Empty(Pg.History(session.ConnectionString));
        Assert.False(Pg.TableExists(session.ConnectionString, "Categories"), Pg.Describe(session.ConnectionString));
        Assert.Empty(Directory.GetFiles(session.WorkDir, "*.dump*", SearchOption.AllDirectories));
        Assert.Equal([regularFile], Directory.GetFileSystemEntries(session.WorkDir));
    }

    /// <summary>Rows of some data in every table of the final schema.</summary>
    private static void InsertRows(string connectionString) => Pg.Execute(connectionString, """
        INSERT INTO "Categories" ("Name") VALUES ('Tools'), ('Garden');
        INSERT INTO "Products" ("Name", "Price", "Sku", "CategoryId")
            SELECT 'Hammer ' || c."Name", 12.50, 'SKU-' || c."Id", c."Id" FROM "Categories" c;
        INSERT INTO "Customers" ("FullName", "Email") VALUES ('Ada Lovelace', 'ada@example.org'), ('Alan Turing', 'alan@example.org');
        INSERT INTO "Orders" ("CustomerId", "PlacedAt") SELECT "Id", now() FROM "Customers";
        INSERT INTO "OrderLines" ("OrderId", "ProductId", "Quantity", "UnitPrice")
            SELECT o."Id", p."Id", 2, p."Price" FROM "Orders" o CROSS JOIN "Products" p;
        """);

    private static SortedDictionary<string, long> UserAndHistoryCounts(SortedDictionary<string, long> counts) =>
        new(counts.Where(p => !p.Key.StartsWith("__", StringComparison.Ordinal) || p.Key == Pg.HistoryTable)
            .ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        _ => [],
    };

    private static DateTimeOffset CreatedUtc(string archive)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(archive + ".json"));
        return manifest.RootElement.GetProperty("createdUtc").GetDateTimeOffset();
    }
}
