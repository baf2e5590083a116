using EfSafeMigrate.Schema;

namespace EfSafeMigrate.Tests.Schema;

public sealed class SchemaCatalogTests
{
    private static SchemaCatalog Catalog(params (string Key, string Definition)[] objects)
        => new(objects.ToDictionary(o => o.Key, o => o.Definition, StringComparer.Ordinal));

    [Fact]
    public void Identical_catalogs_have_no_differences_whatever_the_order_of_their_entries()
    {
        var left = Catalog(("column public.\"T\".\"A\"", "integer NOT NULL"), ("table public.\"T\"", "table"));
        var right = Catalog(("table public.\"T\"", "table"), ("column public.\"T\".\"A\"", "integer NOT NULL"));

        Assert.Empty(SchemaCatalog.Compare(left, right));
    }

    [Fact]
    public void Missing_extra_and_changed_objects_are_reported_by_key_in_ordinal_order()
    {
        var left = Catalog(("column public.\"User\".\"Flag\"", "boolean NOT NULL"), ("index public.\"IX_A\"", "CREATE INDEX ..."), ("table public.\"User\"", "table"));
        var right = Catalog(("index public.\"IX_A\"", "CREATE UNIQUE INDEX ..."), ("sequence public.\"S\"", "bigint start 1"), ("table public.\"User\"", "table"));

        var differences = SchemaCatalog.Compare(left, right);

        Assert.Equal(["column public.\"User\".\"Flag\"", "index public.\"IX_A\"", "sequence public.\"S\""], differences.Select(d => d.Object));
        Assert.Equal("column public.\"User\".\"Flag\": the originals create(s) it (boolean NOT NULL), the squash do(es) not", differences[0].Describe("the originals", "the squash"));
        Assert.Equal("index public.\"IX_A\": the originals give(s) CREATE INDEX ..., the squash give(s) CREATE UNIQUE INDEX ...", differences[1].Describe("the originals", "the squash"));
        Assert.Equal("sequence public.\"S\": the squash create(s) it (bigint start 1), the originals do(es) not", differences[2].Describe("the originals", "the squash"));
    }
}
