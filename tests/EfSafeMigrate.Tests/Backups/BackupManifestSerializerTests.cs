using System.Text.Json;
using System.Text.Json.Nodes;
using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Tests.Backups;

public sealed class BackupManifestSerializerTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly BackupManifest Manifest = new(
        File: "shop_20240102_030405_20240101000000_Initial.dump",
        Database: "shop",
        ServerVersion: "17.2 (Debian 17.2-1.pgdg120+1)",
        HeadMigration: "20240101000000_Initial",
        SizeBytes: 123_456_789_012,
        Sha256: Sha,
        ToolVersion: "0.1.0",
        CreatedUtc: new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Format: "custom");

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "EfSafeMigrate.Tests." + Guid.NewGuid().ToString("N"));

    public BackupManifestSerializerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Serialize_then_Deserialize_round_trips()
    {
        var json = BackupManifestSerializer.Serialize(Manifest);

        Assert.Equal(Manifest, BackupManifestSerializer.Deserialize(json));
    }

    [Fact]
    public void Serialize_then_Deserialize_round_trips_null_head_migration()
    {
        var manifest = Manifest with { HeadMigration = null };

        var json = BackupManifestSerializer.Serialize(manifest);

        Assert.Contains("\"headMigration\": null", json);
        Assert.Equal(manifest, BackupManifestSerializer.Deserialize(json));
    }

    [Fact]
    public void Serialize_uses_camelCase_property_names()
    {
        var json = BackupManifestSerializer.Serialize(Manifest);

        var names = JsonNode.Parse(json)!.AsObject().Select(p => p.Key).ToArray();
        Assert.Equal(
            ["file", "database", "serverVersion", "headMigration", "sizeBytes", "sha256", "toolVersion", "createdUtc", "format"],
            names);
    }

    [Fact]
    public void Serialize_writes_indented_json_with_values()
    {
        var json = BackupManifestSerializer.Serialize(Manifest);

        Assert.Contains('\n', json);
        var root = JsonNode.Parse(json)!;
        Assert.Equal("shop", (string?)root["database"]);
        Assert.Equal(123_456_789_012L, (long?)root["sizeBytes"]);
        Assert.Equal(Sha, (string?)root["sha256"]);
        Assert.Equal("2024-01-02T03:04:05+00:00", (string?)root["createdUtc"]);
    }

    [Fact]
    public void Deserialize_keeps_created_time_offset()
    {
        var manifest = Manifest with { CreatedUtc = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero) };

        var back = BackupManifestSerializer.Deserialize(BackupManifestSerializer.Serialize(manifest));

        Assert.Equal(manifest.CreatedUtc, back.CreatedUtc);
        Assert.Equal(TimeSpan.Zero, back.CreatedUtc.Offset);
    }

    [Theory]
    [InlineData("file")]
    [InlineData("database")]
    [InlineData("serverVersion")]
    [InlineData("headMigration")]
    [InlineData("sizeBytes")]
    [InlineData("sha256")]
    [InlineData("toolVersion")]
    [InlineData("createdUtc")]
    [InlineData("format")]
    public void Deserialize_throws_when_a_property_is_missing(string property)
    {
        var json = JsonNode.Parse(BackupManifestSerializer.Serialize(Manifest))!.AsObject();
        json.Remove(property);

        Assert.Throws<JsonException>(() => BackupManifestSerializer.Deserialize(json.ToJsonString()));
    }

    [Theory]
    [InlineData("file")]
    [InlineData("database")]
    [InlineData("serverVersion")]
    [InlineData("sha256")]
    [InlineData("toolVersion")]
    [InlineData("format")]
    public void Deserialize_throws_when_a_non_nullable_property_is_null(string property)
    {
        var json = JsonNode.Parse(BackupManifestSerializer.Serialize(Manifest))!.AsObject();
        json[property] = null;

        Assert.Throws<JsonException>(() => BackupManifestSerializer.Deserialize(json.ToJsonString()));
    }

    [Theory]
    [InlineData("file", "")]
    [InlineData("file", "   ")]
    [InlineData("database", "")]
    [InlineData("format", " ")]
    [InlineData("sha256", "0123")]
    [InlineData("sha256", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("sha256", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    public void Deserialize_throws_for_out_of_range_strings(string property, string value)
    {
        var json = JsonNode.Parse(BackupManifestSerializer.Serialize(Manifest))!.AsObject();
        json[property] = value;

        Assert.Throws<JsonException>(() => BackupManifestSerializer.Deserialize(json.ToJsonString()));
    }

    [Fact]
    public void Deserialize_throws_for_negative_size()
    {
        var json = JsonNode.Parse(BackupManifestSerializer.Serialize(Manifest))!.AsObject();
        json["sizeBytes"] = -1;

        Assert.Throws<JsonException>(() => BackupManifestSerializer.Deserialize(json.ToJsonString()));
    }

    [Fact]
    public void Deserialize_throws_for_wrong_property_type()
    {
        var json = JsonNode.Parse(BackupManifestSerializer.Serialize(Manifest))!.AsObject();
        json["sizeBytes"] = "big";

        Assert.Throws<JsonException>(() => BackupManifestSerializer.Deserialize(json.ToJsonString()));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("not json")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Deserialize_throws_JsonException_for_invalid_text(string json)
    {
        Assert.ThrowsAny<JsonException>(() => BackupManifestSerializer.Deserialize(json));
    }

    [Fact]
    public void Write_then_Read_round_trips()
    {
        var path = Path.Combine(_folder, Manifest.File + BackupFileNames.ManifestSuffix);

        BackupManifestSerializer.Write(path, Manifest);

        Assert.Equal(Manifest, BackupManifestSerializer.Read(path));
        Assert.EndsWith("}\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_creates_owner_only_file()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes do not apply.
        }

        var path = Path.Combine(_folder, "private.dump.json");

        BackupManifestSerializer.Write(path, Manifest);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Write_never_overwrites_an_existing_file()
    {
        var path = Path.Combine(_folder, "existing.dump.json");
        File.WriteAllText(path, "keep");

        Assert.ThrowsAny<IOException>(() => BackupManifestSerializer.Write(path, Manifest));
        Assert.Equal("keep", File.ReadAllText(path));
    }

    [Fact]
    public void Read_throws_BackupException_naming_missing_file()
    {
        var path = Path.Combine(_folder, "missing.dump.json");

        var ex = Assert.Throws<BackupException>(() => BackupManifestSerializer.Read(path));

        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Read_throws_BackupException_naming_malformed_file()
    {
        var path = Path.Combine(_folder, "broken.dump.json");
        File.WriteAllText(path, "{ \"file\": ");

        var ex = Assert.Throws<BackupException>(() => BackupManifestSerializer.Read(path));

        Assert.Contains(path, ex.Message);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }
}
