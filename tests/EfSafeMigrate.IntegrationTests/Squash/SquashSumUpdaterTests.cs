using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary><see cref="SumFileBuilder.Build(IReadOnlyList{MigrationSource}, SumFile?, string, string)"/>: the squashed migration follows TO and the migration after TO follows it, so the chain stays one line.</summary>
public sealed class SquashSumUpdaterTests
{
    private static MigrationSource Source(string id) => new(id, "Shop.Migrations.M" + id[^1], "ShopContext", "Migrations", [$"Migrations/{id}.cs"], new string(id[^1], 64), $"Migrations/{id}.cs", 1);

    private static readonly SumFile Recorded = new(
        [
            new SumEntry("ShopContext", "1_A", [], new string('a', 64)),
            new SumEntry("ShopContext", "2_B", ["1_A"], new string('b', 64)),
            new SumEntry("ShopContext", "3_C", ["2_B"], new string('c', 64)),
            new SumEntry("ShopContext", "4_D", ["3_C"], new string('d', 64)),
        ],
        [new SumHead("ShopContext", "4_D")]);

    [Fact]
    public void The_squash_follows_TO_and_the_migration_after_TO_follows_the_squash()
    {
        // Squash of 2_B..3_C: the chain stays one line, 1_A → 2_B → 3_C → 3_S → 4_D.
        var sum = SumFileBuilder.Build([Source("1_A"), Source("2_B"), Source("3_C"), Source("3_S"), Source("4_D")], Recorded, "3_S", "3_C");

        var parents = sum.Entries.ToDictionary(e => e.Id, e => string.Join('+', e.Parents));
        Assert.Equal("3_C", parents["3_S"]);
        Assert.Equal("3_S", parents["4_D"]);
        Assert.Equal("2_B", parents["3_C"]);
        Assert.Equal(new string('S', 64), sum.Entries.Single(e => e.Id == "3_S").Hash);
        Assert.Equal(["4_D"], sum.Heads.Select(h => h.Id));
    }

    [Fact]
    public void A_squash_of_the_newest_migrations_becomes_the_head()
    {
        var sum = SumFileBuilder.Build([Source("1_A"), Source("2_B"), Source("3_C"), Source("4_D"), Source("4_S")], Recorded, "4_S", "4_D");

        Assert.Equal(["4_D"], sum.Entries.Single(e => e.Id == "4_S").Parents);
        Assert.Equal(["4_S"], sum.Heads.Select(h => h.Id));
    }

    [Fact]
    public void After_the_originals_are_deleted_hash_lets_the_squash_follow_the_migration_before_the_range()
    {
        var squashed = SumFileBuilder.Build([Source("1_A"), Source("2_B"), Source("3_C"), Source("3_S"), Source("4_D")], Recorded, "3_S", "3_C");

        var finalized = SumFileBuilder.Build([Source("1_A"), Source("3_S"), Source("4_D")], squashed);

        var parents = finalized.Entries.ToDictionary(e => e.Id, e => string.Join('+', e.Parents));
        Assert.Equal("1_A", parents["3_S"]);
        Assert.Equal("3_S", parents["4_D"]);
    }
}
