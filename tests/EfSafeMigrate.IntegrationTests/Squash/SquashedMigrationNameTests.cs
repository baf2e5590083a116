using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Squashing;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary><see cref="SquashedMigrationName"/>: the default name, and an id that sorts right after TO.</summary>
public sealed class SquashedMigrationNameTests
{
    [Fact]
    public void The_default_is_Squashed_From_To_when_it_sorts_after_TO()
    {
        var range = new SquashRange("20240101000000_Initial", ["20240102000000_AddSku", "20240103000000_AddIndex"]);

        Assert.Equal("SquashedAddSkuToAddIndex", SquashedMigrationName.Default(range));
        Assert.Equal("20240103000000_SquashedAddSkuToAddIndex", SquashedMigrationName.IdFor(range, SquashedMigrationName.Default(range)));
    }

    [Theory]
    [InlineData("20250101032000_Step0200", "Step0200SquashedFromStep0001")]
    [InlineData("20250101032000_UpdatePrices", "UpdatePricesSquashedFromStep0001")]
    public void The_default_starts_with_TO_s_name_when_Squashed_would_sort_before_it(string to, string expected)
    {
        var range = new SquashRange(null, ["20250101000100_Step0001", to]);

        var name = SquashedMigrationName.Default(range);

        Assert.Equal(expected, name);
        Assert.True(string.CompareOrdinal(SquashedMigrationName.IdFor(range, name), to) > 0);
    }
}
