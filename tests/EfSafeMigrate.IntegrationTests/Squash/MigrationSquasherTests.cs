using EfSafeMigrate.Design.Squashing;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using static EfSafeMigrate.IntegrationTests.Squash.SampleSquash;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary><see cref="MigrationSquasher"/> on samples/Shop's real migrations: operations, order of custom SQL, ids, refusals.</summary>
public sealed class MigrationSquasherTests : IDisposable
{
    private readonly SampleSquash _sample = new();

    public void Dispose() => _sample.Dispose();

    [Fact]
    public void A_middle_range_becomes_the_differ_s_operations_between_its_ends()
    {
        var plan = _sample.Plan("AddProductSku", "AddUniqueSkuIndex");

        Assert.Equal("20261121064240_SquashedAddProductSkuToAddUniqueSkuIndex", plan.Id);
        Assert.Equal("SquashedAddProductSkuToAddUniqueSkuIndex", plan.Name);
        Assert.Equal("Shop.Migrations", plan.Namespace);
        Assert.Equal(Initial, plan.Range.PreviousId);
        Assert.Equal([AddProductSku, RenameCustomerName, AddUniqueSkuIndex], plan.Range.MigrationIds);
        Assert.Equal(
            ["rename column Customers.Name → FullName", "add column Products.Sku", "create unique index IX_Products_Sku"],
            plan.Up.Select(OperationSummary.Describe));
        Assert.Equal(
            ["drop index IX_Products_Sku", "drop column Products.Sku", "rename column Customers.FullName → Name"],
            plan.Down.Select(OperationSummary.Describe));
        Assert.Empty(plan.KeptUp);
        Assert.Empty(plan.KeptDown);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void The_whole_history_keeps_the_seed_sql_after_the_schema_and_its_down_before()
    {
        var plan = _sample.Plan(Initial, AddOrdersDropLegacy);

        Assert.Null(plan.Range.PreviousId);
        Assert.Equal(6, plan.Range.MigrationIds.Count);
        var firstSql = plan.Up.ToList().FindIndex(o => o is SqlOperation);
        Assert.Equal(plan.Up.Count - 2, firstSql);
        Assert.All(plan.Up.Take(firstSql), o => Assert.IsNotType<SqlOperation>(o));
        Assert.Contains("('Books'), ('Games')", ((SqlOperation)plan.Up[^2]).Sql);
        Assert.Contains("('Music')", ((SqlOperation)plan.Up[^1]).Sql);
        Assert.Contains("create table Orders", plan.Up.Select(OperationSummary.Describe));
        // LegacyCode is created by Initial and dropped by AddOrdersDropLegacy: gone from the squash.
        Assert.DoesNotContain(plan.Up.OfType<CreateTableOperation>().SelectMany(t => t.Columns), c => c.Name == "LegacyCode");
        Assert.Equal(["create table Categories", "create table Customers", "create table Products", "create table Orders", "create table OrderLines"],
            plan.Up.OfType<CreateTableOperation>().Select(OperationSummary.Describe));

        var down = plan.Down.Select(OperationSummary.Describe).ToList();
        Assert.IsType<SqlOperation>(plan.Down[0]);
        Assert.StartsWith("DELETE FROM \"Categories\"", ((SqlOperation)plan.Down[0]).Sql);
        Assert.Equal(["drop table OrderLines", "drop table Orders", "drop table Products", "drop table Customers", "drop table Categories"], down.Skip(1));
        Assert.Equal([SeedCategories, SeedCategories], plan.KeptUp.Select(k => k.MigrationId));
        Assert.Equal([0, 1], plan.KeptUp.Select(k => k.Index));
    }

    [Fact]
    public void The_name_option_sets_the_name_after_the_timestamp_of_TO()
    {
        var plan = _sample.Plan(AddProductSku, AddUniqueSkuIndex, "SkuWork");

        Assert.Equal("20261121064240_SkuWork", plan.Id);
    }

    [Theory]
    [InlineData("Nope", "AddUniqueSkuIndex", "was not found")]
    [InlineData("AddUniqueSkuIndex", "AddProductSku", "comes after TO")]
    [InlineData("AddProductSku", "AddProductSku", "same migration")]
    [InlineData("0", "AddProductSku", "'0' is not a migration")]
    public void Bad_ranges_are_usage_errors(string from, string to, string expected)
    {
        var ex = Assert.Throws<SquashRefusedException>(() => _sample.Plan(from, to));

        Assert.Equal(SquashRefusalKind.Usage, ex.Kind);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("Aaa", "would sort before the last migration it replaces")]
    [InlineData("1x", "not a valid C# class name")]
    [InlineData("ShopContext", "DbContext's class name")]
    [InlineData("SeedCategories", "already exists")]
    public void Bad_names_are_usage_errors(string name, string expected)
    {
        var ex = Assert.Throws<SquashRefusedException>(() => _sample.Plan(AddProductSku, AddUniqueSkuIndex, name));

        Assert.Equal(SquashRefusalKind.Usage, ex.Kind);
        Assert.Contains(expected, ex.Message);
    }
}
