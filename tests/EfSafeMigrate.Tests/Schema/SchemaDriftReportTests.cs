using EfSafeMigrate.Schema;

namespace EfSafeMigrate.Tests.Schema;

public class SchemaDriftReportTests
{
    private static SchemaCatalog Catalog(params (string Key, string Value)[] objects) => new(objects.ToDictionary(o => o.Key, o => o.Value));

    [Fact]
    public void Detect_names_missing_extra_and_different_objects_with_their_migration_and_lists_views_apart()
    {
        var empty = Catalog();
        var first = Catalog(("table public.\"A\"", "table"), ("column public.\"A\".\"X\"", "integer NOT NULL"));
        var second = Catalog(("table public.\"A\"", "table"), ("column public.\"A\".\"X\"", "integer NOT NULL"), ("index public.\"IX_A_X\"", "CREATE INDEX ..."), ("view public.\"V\"", "SELECT 1"));
        var expected = new MigratedSchema(empty, [first, second], ["1_First", "2_Second"],
            new Dictionary<string, string> { ["table public.\"A\""] = "1_First", ["column public.\"A\".\"X\""] = "1_First", ["index public.\"IX_A_X\""] = "2_Second", ["view public.\"V\""] = "2_Second" });
        var live = Catalog(("table public.\"A\"", "table"), ("column public.\"A\".\"X\"", "bigint NOT NULL"), ("column public.\"A\".\"Y\"", "text NULL"), ("materialized view public.\"M\"", "SELECT 2"));

        var report = SchemaDriftReport.Detect(expected, live, ["3_Unknown"]);

        Assert.True(report.HasDrift);
        Assert.Equal(
            [
                new DriftEntry("column public.\"A\".\"X\"", "column", DriftChange.Different, "integer NOT NULL", "bigint NOT NULL", "1_First"),
                new DriftEntry("column public.\"A\".\"Y\"", "column", DriftChange.Extra, null, "text NULL", null),
                new DriftEntry("index public.\"IX_A_X\"", "index", DriftChange.Missing, "CREATE INDEX ...", null, "2_Second"),
            ],
            report.Drift);
        Assert.Equal(["materialized view public.\"M\"", "view public.\"V\""], report.Unmodeled.Select(u => u.Object));
        Assert.Equal(["3_Unknown"], report.UnknownMigrations);
        Assert.Equal("index public.\"IX_A_X\": missing (created by migration '2_Second'); the migrations give: CREATE INDEX ...", report.Drift[2].Describe());
    }

    [Fact]
    public void ChangesOf_is_what_one_migration_changed()
    {
        var empty = Catalog();
        var first = Catalog(("table public.\"A\"", "table"));
        var second = Catalog(("table public.\"A\"", "table"), ("index public.\"IX\"", "CREATE INDEX"));
        var schema = new MigratedSchema(empty, [first, second], ["1_First", "2_Second"], new Dictionary<string, string>());

        Assert.Equal([new CatalogDifference("index public.\"IX\"", null, "CREATE INDEX")], schema.ChangesOf("2_Second"));
        Assert.Equal(first, schema.Before("2_Second"));
        Assert.Throws<ArgumentException>(() => schema.ChangesOf("9_None"));
    }
}
