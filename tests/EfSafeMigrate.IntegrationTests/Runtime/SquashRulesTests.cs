using System.Reflection;
using EfSafeMigrate.Squashing;

namespace EfSafeMigrate.IntegrationTests.Runtime;

/// <summary>
/// <see cref="SquashCatalog"/> and <see cref="SquashRules"/> on migration ids alone (no database):
/// every position of a database against a squash, before and after the squash is finalized, nested
/// squashes, and the catalog's checks.
/// </summary>
public sealed class SquashRulesTests
{
    private const string Initial = "20250101000000_Initial";
    private const string R1 = "20250102000000_A";
    private const string R2 = "20250103000000_B";
    private const string R3 = "20250104000000_C";
    private const string S = "20250104000000_SquashedAToC";
    private const string Next = "20250105000000_Next";

    private static readonly SquashedMigration Squash = new(S, [R1, R2, R3]);

    private static SquashCatalog WithOriginals() => new([Initial, R1, R2, R3, S, Next], [Squash]);

    private static SquashCatalog Finalized() => new([Initial, S, Next], [Squash]);

    private static IReadOnlyList<string> Visible(SquashCatalog catalog, SquashResolution resolution)
        => catalog.MigrationIds.Where(resolution.IsVisible).ToList();

    [Fact]
    public void None_of_the_range_applied_uses_the_squash()
    {
        var catalog = WithOriginals();

        var resolution = SquashRules.Resolve(catalog, [Initial]);

        Assert.Equal([Initial, S, Next], Visible(catalog, resolution));
        Assert.Empty(resolution.CountedAsApplied);
        Assert.Equal([Initial], resolution.EffectiveApplied([Initial]));
        Assert.True(catalog.DependsOnHistory);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Inside_the_range_uses_the_originals(int applied)
    {
        var catalog = WithOriginals();
        string[] history = [Initial, .. new[] { R1, R2, R3 }.Take(applied)];

        var resolution = SquashRules.Resolve(catalog, history);

        Assert.Equal([Initial, R1, R2, R3, Next], Visible(catalog, resolution));
        Assert.Empty(resolution.CountedAsApplied);
        Assert.Equal(history, resolution.EffectiveApplied(history));
    }

    [Fact]
    public void All_of_the_range_applied_counts_the_squash_as_applied_and_keeps_the_originals()
    {
        var catalog = WithOriginals();
        string[] history = [Initial, R1, R2, R3];

        var resolution = SquashRules.Resolve(catalog, history);

        Assert.Equal([Initial, R1, R2, R3, Next], Visible(catalog, resolution));
        Assert.Equal([S], resolution.CountedAsApplied);
        Assert.Equal(history, resolution.EffectiveApplied(history)); // the hidden squash is not listed
    }

    [Fact]
    public void An_applied_squash_stays_in_use()
    {
        var catalog = WithOriginals();
        string[] history = [Initial, S, Next];

        var resolution = SquashRules.Resolve(catalog, history);

        Assert.Equal([Initial, S, Next], Visible(catalog, resolution));
        Assert.Empty(resolution.CountedAsApplied);
        Assert.Equal(history, resolution.EffectiveApplied(history));
    }

    [Fact]
    public void Finalized_code_uses_the_squash_and_counts_it_applied_for_an_old_database()
    {
        var catalog = Finalized();
        string[] history = [Initial, R1, R2, R3, Next];

        var resolution = SquashRules.Resolve(catalog, history);

        Assert.False(catalog.DependsOnHistory);
        Assert.Equal([Initial, S, Next], Visible(catalog, resolution));
        Assert.Equal([S], resolution.CountedAsApplied);
        Assert.Equal([R1, R2, R3], resolution.Covered.Order(StringComparer.Ordinal));
        Assert.Equal([Initial, S, Next], resolution.EffectiveApplied(history));
    }

    [Fact]
    public void Finalized_code_refuses_a_database_inside_the_range()
    {
        var ex = Assert.Throws<PartiallyAppliedSquashException>(() => SquashRules.Resolve(Finalized(), [Initial, R1, R2]));

        Assert.Equal(S, ex.SquashedMigrationId);
        Assert.Equal([R1, R2], ex.AppliedIds);
        Assert.Equal([R3], ex.NotAppliedIds);
        Assert.Equal([R1, R2, R3], ex.MissingFromCode);
        Assert.Contains(S, ex.Message);
        Assert.Contains("dotnet safe-migrate apply", ex.Message);
        Assert.Contains("previous version of the application", ex.Message);
    }

    [Fact]
    public void Nested_squash_inside_the_inner_range_uses_the_inner_originals()
    {
        const string r4 = "20250104000001_D";
        const string s2 = "20250104000001_SquashedAll";
        var catalog = new SquashCatalog([Initial, R1, R2, R3, S, r4, s2, Next], [Squash, new SquashedMigration(s2, [S, r4])]);

        Assert.Equal([Initial, s2, Next], Visible(catalog, SquashRules.Resolve(catalog, [Initial])));
        Assert.Equal([Initial, R1, R2, R3, r4, Next], Visible(catalog, SquashRules.Resolve(catalog, [Initial, R1])));
        Assert.Equal([Initial, S, r4, Next], Visible(catalog, SquashRules.Resolve(catalog, [Initial, S])));

        var allApplied = SquashRules.Resolve(catalog, [Initial, R1, R2, R3, r4]);
        Assert.Equal([S, s2], allApplied.CountedAsApplied);
        Assert.Equal([Initial, R1, R2, R3, r4, Next], Visible(catalog, allApplied));
    }

    [Fact]
    public void Nested_squash_over_a_finalized_one_counts_both_for_an_old_database()
    {
        const string r4 = "20250104000001_D";
        const string s2 = "20250104000001_SquashedAll";
        var catalog = new SquashCatalog([Initial, S, r4, s2, Next], [Squash, new SquashedMigration(s2, [S, r4])]);
        string[] history = [Initial, R1, R2, R3, r4];

        var resolution = SquashRules.Resolve(catalog, history);

        Assert.Equal([Initial, S, r4, Next], Visible(catalog, resolution)); // s2's originals (S, r4) are all in the code
        Assert.Equal([S, s2], resolution.CountedAsApplied);
        Assert.Equal([Initial, S, r4], resolution.EffectiveApplied(history));
        Assert.Throws<PartiallyAppliedSquashException>(() => SquashRules.Resolve(catalog, [Initial, R1]));
    }

    [Fact]
    public void Catalog_reads_the_attribute_from_migration_classes()
    {
        var catalog = SquashCatalog.FromMigrations(new Dictionary<string, System.Reflection.TypeInfo>
        {
            [Initial] = typeof(object).GetTypeInfo(),
            [R1] = typeof(object).GetTypeInfo(),
            ["20250101000000_SquashedInitialToA"] = typeof(AttributedSquash).GetTypeInfo(),
        });

        var squash = Assert.Single(catalog.Squashes);
        Assert.Equal("20250101000000_SquashedInitialToA", squash.Id);
        Assert.Equal([Initial], squash.ReplacedIds);
    }

    [Fact]
    public void Catalog_refuses_a_squash_that_sorts_before_what_it_replaces()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SquashCatalog([Initial, "20250103000000_Early", R3], [new SquashedMigration("20250103000000_Early", [R3])]));
        Assert.Contains("does not sort before its own", ex.Message);
    }

    [Fact]
    public void Catalog_refuses_a_migration_inside_the_range_that_the_squash_does_not_replace()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SquashCatalog([Initial, R1, R2, R3, S], [new SquashedMigration(S, [R1, R3])]));
        Assert.Contains($"'{R2}' sorts inside the range", ex.Message);
    }

    [Fact]
    public void Catalog_refuses_overlapping_squashes_and_bad_lists()
    {
        Assert.Contains("replaced by two squashed migrations", Assert.Throws<InvalidOperationException>(() =>
            new SquashCatalog([Initial, R1, R2, "20250103000000_X", R3, S], [new SquashedMigration("20250103000000_X", [R1, R2]), new SquashedMigration(S, [R2, R3])])).Message);
        Assert.Contains("empty [Replaces]", Assert.Throws<InvalidOperationException>(() => new SquashCatalog([S], [new SquashedMigration(S, [])])).Message);
        Assert.Contains("oldest first", Assert.Throws<InvalidOperationException>(() => new SquashCatalog([R1, R2, S], [new SquashedMigration(S, [R2, R1])])).Message);
    }

    [Replaces(Initial)]
    private sealed class AttributedSquash;
}
