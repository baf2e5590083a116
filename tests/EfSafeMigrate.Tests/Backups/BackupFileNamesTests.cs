using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Tests.Backups;

public class BackupFileNamesTests
{
    private const string Initial = "20240101000000_Initial";

    private static readonly DateTimeOffset Created = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void ArchiveName_joins_database_utc_time_and_head_migration()
    {
        Assert.Equal(
            "shop_20240102_030405_20240101000000_Initial.dump",
            BackupFileNames.ArchiveName("shop", Created, Initial));
    }

    [Fact]
    public void ArchiveName_converts_time_to_utc()
    {
        var local = new DateTimeOffset(2024, 1, 2, 5, 4, 5, TimeSpan.FromHours(2));

        Assert.Equal(
            "shop_20240102_030405_20240101000000_Initial.dump",
            BackupFileNames.ArchiveName("shop", local, Initial));
    }

    [Fact]
    public void ArchiveName_converts_time_to_utc_across_midnight()
    {
        var local = new DateTimeOffset(2024, 1, 1, 20, 0, 0, TimeSpan.FromHours(-5));

        Assert.Equal("shop_20240102_010000_empty.dump", BackupFileNames.ArchiveName("shop", local, null));
    }

    [Fact]
    public void ArchiveName_truncates_time_to_the_second()
    {
        var created = Created.AddMilliseconds(999);

        Assert.Equal(
            "shop_20240102_030405_20240101000000_Initial.dump",
            BackupFileNames.ArchiveName("shop", created, Initial));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void ArchiveName_uses_empty_when_no_migration_is_applied(string? head)
    {
        Assert.Equal("shop_20240102_030405_empty.dump", BackupFileNames.ArchiveName("shop", Created, head));
    }

    [Fact]
    public void ArchiveName_adds_sequence_from_two()
    {
        Assert.Equal("shop_20240102_030405_20240101000000_Initial.dump", BackupFileNames.ArchiveName("shop", Created, Initial, sequence: 1));
        Assert.Equal("shop_20240102_030405_20240101000000_Initial_02.dump", BackupFileNames.ArchiveName("shop", Created, Initial, sequence: 2));
        Assert.Equal("shop_20240102_030405_empty_10.dump", BackupFileNames.ArchiveName("shop", Created, null, sequence: 10));
    }

    [Fact]
    public void ArchiveName_sorts_in_creation_order_within_one_second()
    {
        string[] started = [.. Enumerable.Range(1, 12).Select(sequence => BackupFileNames.ArchiveName("shop", Created, Initial, sequence))];

        Assert.Equal(started, started.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ArchiveName_throws_for_sequence_below_one(int sequence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BackupFileNames.ArchiveName("shop", Created, Initial, sequence));
    }

    [Fact]
    public void ArchiveName_throws_for_empty_database()
    {
        Assert.Throws<ArgumentException>(() => BackupFileNames.ArchiveName("", Created, Initial));
    }

    [Fact]
    public void ArchiveName_throws_for_null_database()
    {
        Assert.ThrowsAny<ArgumentException>(() => BackupFileNames.ArchiveName(null!, Created, Initial));
    }

    [Fact]
    public void ArchiveName_sanitises_database_and_head_migration()
    {
        Assert.Equal(
            "my-shop-prod_20240102_030405_-.-evil.dump",
            BackupFileNames.ArchiveName("my shop/prod", Created, "../evil"));
    }

    [Fact]
    public void ArchiveName_never_contains_path_separators()
    {
        var name = BackupFileNames.ArchiveName("..\\..\\etc/passwd", Created, "/root\\x");

        Assert.DoesNotContain('/', name);
        Assert.DoesNotContain('\\', name);
        Assert.Equal(name, Path.GetFileName(name));
    }

    [Theory]
    [InlineData("shop", "shop")]
    [InlineData("Shop_Db-2.prod", "Shop_Db-2.prod")]
    [InlineData("my shop", "my-shop")]
    [InlineData("a/b\\c", "a-b-c")]
    [InlineData("quote\"'", "quote--")]
    [InlineData("tab\there", "tab-here")]
    [InlineData("café", "caf-")]
    [InlineData("Ünïcode", "-n-code")]
    [InlineData(".hidden", "-hidden")]
    [InlineData("..", "-.")]
    [InlineData("a.b", "a.b")]
    [InlineData("", "-")]
    public void Sanitize_keeps_ascii_letters_digits_underscore_dash_and_inner_dots(string part, string expected)
    {
        Assert.Equal(expected, BackupFileNames.Sanitize(part));
    }

    [Fact]
    public void Sanitize_cuts_to_max_part_length()
    {
        var result = BackupFileNames.Sanitize(new string('a', 250));

        Assert.Equal(BackupFileNames.MaxPartLength, result.Length);
        Assert.Equal(new string('a', 100), result);
    }

    [Fact]
    public void Sanitize_keeps_part_of_exactly_max_length()
    {
        var part = new string('b', BackupFileNames.MaxPartLength);

        Assert.Equal(part, BackupFileNames.Sanitize(part));
    }

    [Fact]
    public void Sanitize_throws_for_null()
    {
        Assert.Throws<ArgumentNullException>(() => BackupFileNames.Sanitize(null!));
    }

    [Fact]
    public void ArchiveName_stays_under_255_bytes_for_long_parts()
    {
        var name = BackupFileNames.ArchiveName(new string('d', 300), Created, new string('m', 300), sequence: 99);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(name) < 255, name);
    }

    [Fact]
    public void ManifestPathFor_appends_json()
    {
        Assert.Equal("/backups/shop_20240102_030405_empty.dump.json", BackupFileNames.ManifestPathFor("/backups/shop_20240102_030405_empty.dump"));
    }

    [Fact]
    public void PartialPathFor_appends_partial()
    {
        Assert.Equal("/backups/shop_20240102_030405_empty.dump.partial", BackupFileNames.PartialPathFor("/backups/shop_20240102_030405_empty.dump"));
    }
}
