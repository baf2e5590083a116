using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Squashing;
using Microsoft.CodeAnalysis.CSharp;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary><see cref="SquashedMigrationName.Default"/> with migration names a C# identifier cannot hold (bitwarden's ids).</summary>
public sealed class SquashedMigrationNameIdentifierTests
{
    [Theory]
    [InlineData("20230113175441_Fix Navigation Properties", "20230201000000_Release.v2-rc", "SquashedFixNavigationPropertiesToReleaseV2Rc")]
    [InlineData("20230113175441_Add-Column", "20230201000000_Drop.Index", "SquashedAddColumnToDropIndex")]
    public void The_default_is_a_valid_class_name_when_migration_names_hold_spaces_dots_or_dashes(string from, string to, string expected)
    {
        var range = new SquashRange(null, [from, to]);

        var name = SquashedMigrationName.Default(range);

        Assert.Equal(expected, name);
        Assert.True(SyntaxFacts.IsValidIdentifier(name), name);
        Assert.True(string.CompareOrdinal(SquashedMigrationName.IdFor(range, name), to) > 0);
    }

    [Theory]
    [InlineData("20230201000000_Update.Prices")]
    [InlineData("20230201000000_Update Prices")]
    [InlineData("20230201000000_A-b")]
    public void The_fallback_still_sorts_right_after_TO(string to)
    {
        var range = new SquashRange(null, ["20230101000000_Step 1", to]);

        var name = SquashedMigrationName.Default(range);

        Assert.True(SyntaxFacts.IsValidIdentifier(name), name);
        Assert.True(string.CompareOrdinal(SquashedMigrationName.IdFor(range, name), to) > 0, name);
    }
}
