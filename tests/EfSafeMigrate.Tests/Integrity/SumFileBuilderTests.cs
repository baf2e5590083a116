using EfSafeMigrate.Integrity;
using static EfSafeMigrate.Tests.Integrity.MigrationFixtures;

namespace EfSafeMigrate.Tests.Integrity;

public class SumFileBuilderTests
{
    private const string Initial = "20240101000000_Initial";
    private const string AddSku = "20240102000000_AddSku";
    private const string AddTags = "20240102000001_AddTags";

    [Fact]
    public void Build_without_previous_file_takes_parents_from_id_order()
    {
        var sum = SumFileBuilder.Build(Scan(Migration(AddSku), Migration(Initial)).Migrations, null);

        Assert.Equal([Initial, AddSku], sum.Entries.Select(e => e.Id));
        Assert.Empty(sum.Entries[0].Parents);
        Assert.Equal([Initial], sum.Entries[1].Parents);
        Assert.Equal(new SumHead("AppContext", AddSku), Assert.Single(sum.Heads));
    }

    [Fact]
    public void Build_keeps_recorded_parents_so_a_fork_stays_visible()
    {
        var migrations = Scan(Migration(Initial), Migration(AddSku), Migration(AddTags)).Migrations;
        var previous = new SumFile(
            [new SumEntry("AppContext", Initial, [], "x"), new SumEntry("AppContext", AddSku, [Initial], "x"), new SumEntry("AppContext", AddTags, [Initial], "x")],
            []);

        var sum = SumFileBuilder.Build(migrations, previous);

        Assert.Equal([Initial], sum.Entries[2].Parents);
        Assert.Equal([AddSku, AddTags], sum.Heads.Select(h => h.Id));
    }

    [Fact]
    public void Build_gives_a_new_migration_the_previous_head_as_parent()
    {
        var previous = SumFileBuilder.Build(Scan(Migration(Initial), Migration(AddSku)).Migrations, null);

        var sum = SumFileBuilder.Build(Scan(Migration(Initial), Migration(AddSku), Migration(AddTags)).Migrations, previous);

        Assert.Equal([AddSku], sum.Entries[2].Parents);
        Assert.Equal(AddTags, Assert.Single(sum.Heads).Id);
    }

    [Fact]
    public void Build_writes_one_chain_per_context()
    {
        var sum = SumFileBuilder.Build(Scan(Migration(Initial, "AppContext"), Migration(AddSku, "AuditContext")).Migrations, null);

        Assert.All(sum.Entries, e => Assert.Empty(e.Parents));
        Assert.Equal(["AppContext", "AuditContext"], sum.Heads.Select(h => h.Context));
    }
}
