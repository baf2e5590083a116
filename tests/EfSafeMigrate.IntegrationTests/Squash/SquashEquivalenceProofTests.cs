extern alias ShopSample;

using EfSafeMigrate.Consistency;
using EfSafeMigrate.Execution;
using EfSafeMigrate.IntegrationTests.Runtime;
using EfSafeMigrate.Npgsql.Schema;
using EfSafeMigrate.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Npgsql;
using static EfSafeMigrate.IntegrationTests.Squash.SampleSquash;
using SampleContext = ShopSample::Shop.ShopContext;

namespace EfSafeMigrate.IntegrationTests.Squash;

/// <summary>
/// <see cref="SquashEquivalenceProof"/> on the test server: the sample's squash is proven identical, a squash
/// that lacks a column or fails is not (naming the column / the error), the squash of the ShopWithSquash fixture
/// (compiled, [Replaces]) is proven, and the scratch databases are dropped in every case.
/// </summary>
public sealed class SquashEquivalenceProofTests
{
    private static readonly string ServerConnection = PostgresServer.Instance.ConnectionString;

    [Fact]
    public void The_sample_squash_from_the_models_is_proven_identical_and_its_scratch_databases_are_dropped()
    {
        using var sample = new SampleSquash();
        var plan = sample.Plan(AddProductSku, AddOrdersDropLegacy);

        var result = SampleProof("proofok").Prove(SquashEquivalenceProof.OriginalsOnly(sample.Migrator), plan.Range.MigrationIds, plan.Up, plan.TargetModel);

        Assert.True(result.Identical, string.Join(Environment.NewLine, result.Describe()));
        Assert.All(result.Databases, name => Assert.StartsWith("proofok_squashproof_", name, StringComparison.Ordinal));
        Assert.Equal([], Leftovers("proofok"));
    }

    [Fact]
    public void A_squash_without_a_column_the_originals_add_differs_by_that_column()
    {
        using var sample = new SampleSquash();
        var plan = sample.Plan(AddProductSku, AddUniqueSkuIndex);
        var withoutSku = plan.Up.Where(o => o is not AddColumnOperation { Name: "Sku" }).Where(o => o is not CreateIndexOperation).ToList();
        Assert.NotEqual(plan.Up.Count, withoutSku.Count);

        var result = SampleProof("proofcol").Prove(SquashEquivalenceProof.OriginalsOnly(sample.Migrator), plan.Range.MigrationIds, withoutSku, plan.TargetModel);

        Assert.False(result.Identical);
        var lines = string.Join(Environment.NewLine, result.Describe());
        Assert.True(lines.Contains("column public.\"Products\".\"Sku\": the original migrations create(s) it (", StringComparison.Ordinal), lines);
        Assert.Contains("the squashed migration do(es) not", lines);
        Assert.Equal([], Leftovers("proofcol"));
    }

    [Fact]
    public void A_squash_that_fails_is_not_proven_and_its_scratch_databases_are_dropped()
    {
        using var sample = new SampleSquash();
        var plan = sample.Plan(AddProductSku, AddUniqueSkuIndex);
        IReadOnlyList<MigrationOperation> failing = [.. plan.Up, new SqlOperation { Sql = "SELECT 1/0;" }];

        var result = SampleProof("prooffail").Prove(SquashEquivalenceProof.OriginalsOnly(sample.Migrator), plan.Range.MigrationIds, failing, plan.TargetModel);

        Assert.False(result.Identical);
        Assert.Contains("division by zero", result.SquashFailure);
        Assert.Equal([], Leftovers("prooffail"));
    }

    [Fact]
    public void The_compiled_squash_of_the_fixture_is_proven_against_the_migrations_it_replaces()
    {
        using var context = ShopSquash.PlainContext("Host=localhost;Database=unused");
        var migrator = new SafeMigrator(context);
        var proof = new SquashEquivalenceProof(new NpgsqlScratchDatabaseServer(ServerConnection), ShopSquash.PlainContext, "proofbuilt");

        var originals = SquashEquivalenceProof.OriginalsOnly(migrator);
        var result = proof.Prove(originals, ShopSquash.Squashed, [ShopSquash.AddProductSku, ShopSquash.RenameCustomerName, ShopSquash.AddUniqueSkuIndex]);

        Assert.DoesNotContain(ShopSquash.Squashed, originals);
        Assert.True(result.Identical, string.Join(Environment.NewLine, result.Describe()));
        Assert.Equal([], Leftovers("proofbuilt"));
    }

    [Fact]
    public void A_squash_from_the_operations_runs_every_operation_of_the_range_in_order_and_is_proven_identical()
    {
        using var sample = new SampleSquash();
        string[] range = [AddProductSku, RenameCustomerName, AddUniqueSkuIndex, SeedCategories, AddOrdersDropLegacy];

        var plan = new EfSafeMigrate.Design.Squashing.MigrationSquasher(sample.Migrator, sample.Design).PlanFromOperations(AddProductSku, AddOrdersDropLegacy, null);
        var result = SampleProof("proofops").Prove(SquashEquivalenceProof.OriginalsOnly(sample.Migrator), plan.Range.MigrationIds, plan.Up, plan.TargetModel);

        Assert.True(plan.FromOperations);
        Assert.Equal(range.SelectMany(id => sample.Migrator.GetMigration(id).UpOperations).Select(OperationSummary.Describe), plan.Up.Select(OperationSummary.Describe));
        Assert.Equal(range.Reverse().SelectMany(id => sample.Migrator.GetMigration(id).DownOperations).Select(OperationSummary.Describe), plan.Down.Select(OperationSummary.Describe));
        Assert.True(result.Identical, string.Join(Environment.NewLine, result.Describe()));
    }

    [Fact]
    public void Scratch_names_fit_PostgreSQL_s_63_bytes()
    {
        var name = SquashEquivalenceProof.ScratchName(new string('x', 80), "20261129120000123", "a");

        Assert.Equal(63, name.Length);
        Assert.EndsWith("_squashproof_20261129120000123_a", name, StringComparison.Ordinal);
    }

    private static SquashEquivalenceProof SampleProof(string database)
        => new(new NpgsqlScratchDatabaseServer(ServerConnection),
            cs => new SampleContext(new DbContextOptionsBuilder<SampleContext>().UseNpgsql(cs).Options),
            database);

    private static List<string> Leftovers(string database)
    {
        using var connection = new NpgsqlConnection(ServerConnection);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE @prefix ORDER BY datname", connection);
        command.Parameters.AddWithValue("prefix", database + "\\_squashproof\\_%");
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
