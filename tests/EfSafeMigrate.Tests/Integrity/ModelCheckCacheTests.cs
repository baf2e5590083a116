using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;

namespace EfSafeMigrate.Tests.Integrity;

/// <summary>
/// The model check cache's file (obj/safe-migrate/model-check-cache of the migrations project): passes and findings read
/// back as written; a line that cannot be read back (bad key, bad base64, JSON that is not a finding) is a miss while the
/// other lines stay; a foreign header is an empty cache.
/// </summary>
public sealed class ModelCheckCacheTests : IDisposable
{
    private static readonly string Pass = new('a', 64);
    private static readonly string Failed = new('b', 64);
    private static readonly Finding Finding = new(FindingCodes.OperationsDoNotMatchModels, FindingSeverity.Error, "The operations of migration 'M' ...", ["P", "M"], null, null, "Remove it and add it again.");

    private readonly string _project = Path.Combine(Path.GetTempPath(), "safe-migrate-model-check-cache-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public void Open_reads_back_passes_and_findings_from_obj()
    {
        var cache = ModelCheckCache.Open(_project);
        cache.Record(Pass, null);
        cache.Record(Failed, Finding);
        cache.Save();

        var again = ModelCheckCache.Open(_project);

        Assert.Equal(Path.Combine(_project, "obj", "safe-migrate", "model-check-cache"), again.FilePath);
        Assert.Equal(2, again.Loaded);
        Assert.True(again.TryGet(Pass, out var pass));
        Assert.Null(pass);
        Assert.True(again.TryGet(Failed, out var failed));
        Assert.Equal(Finding, failed! with { Migrations = Finding.Migrations }); // a record: the list compares by reference
        Assert.Equal(Finding.Migrations, failed.Migrations);
        Assert.False(again.TryGet(new string('c', 64), out _));
    }

    [Fact]
    public void A_line_that_cannot_be_read_back_is_a_miss_and_the_others_stay()
    {
        var cache = ModelCheckCache.Open(_project);
        cache.Record(Pass, null);
        cache.Save();
        File.AppendAllLines(cache.FilePath, [
            new string('c', 64) + "\tnot base64!",
            new string('d', 64) + "\t" + Convert.ToBase64String("{}"u8),
            new string('e', 64) + "\t" + Convert.ToBase64String("null"u8),
            new string('F', 64) + "\t",
            "short\t",
        ]);

        var again = ModelCheckCache.Open(_project);

        Assert.Equal(1, again.Loaded);
        Assert.True(again.TryGet(Pass, out _));
        Assert.All("cdeF", c => Assert.False(again.TryGet(new string(c, 64), out _)));
    }

    [Fact]
    public void A_file_of_another_format_is_an_empty_cache_and_is_rewritten()
    {
        var path = ModelCheckCache.PathFor(_project);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, ["safe-migrate model-check-cache 1", Pass + "\t"]);

        var cache = ModelCheckCache.Open(_project);
        cache.Record(Failed, null);
        cache.Save();

        Assert.Equal(0, cache.Loaded);
        Assert.False(cache.TryGet(Pass, out _));
        Assert.Equal(["safe-migrate model-check-cache 2", Failed + "\t"], File.ReadAllLines(path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_project))
        {
            Directory.Delete(_project, recursive: true);
        }
    }
}
