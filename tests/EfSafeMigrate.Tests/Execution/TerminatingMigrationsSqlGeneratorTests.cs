using EfSafeMigrate.Execution;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Tests.Execution;

public class TerminatingMigrationsSqlGeneratorTests
{
    private readonly RecordingGenerator _inner = new();

    private IReadOnlyList<MigrationOperation> Generate(params MigrationOperation[] operations)
    {
        var generator = new TerminatingMigrationsSqlGenerator(_inner);
        generator.Generate(operations);
        Assert.NotNull(_inner.Operations);
        return _inner.Operations!;
    }

    [Fact]
    public void Generate_terminates_sql_operation_without_terminator()
    {
        var received = Generate(new SqlOperation { Sql = "UPDATE t SET a = 1" });

        var sql = Assert.IsType<SqlOperation>(Assert.Single(received));
        Assert.Equal("UPDATE t SET a = 1;", sql.Sql);
    }

    [Fact]
    public void Generate_does_not_modify_the_original_operation()
    {
        var original = new SqlOperation { Sql = "UPDATE t SET a = 1" };

        Generate(original);

        Assert.Equal("UPDATE t SET a = 1", original.Sql);
    }

    [Fact]
    public void Generate_passes_already_terminated_sql_operation_as_same_instance()
    {
        var operation = new SqlOperation { Sql = "UPDATE t SET a = 1;" };

        var received = Generate(operation);

        Assert.Same(operation, Assert.Single(received));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Generate_keeps_SuppressTransaction(bool suppress)
    {
        var received = Generate(new SqlOperation { Sql = "CREATE INDEX CONCURRENTLY ix ON t (a)", SuppressTransaction = suppress });

        var sql = Assert.IsType<SqlOperation>(Assert.Single(received));
        Assert.Equal("CREATE INDEX CONCURRENTLY ix ON t (a);", sql.Sql);
        Assert.Equal(suppress, sql.SuppressTransaction);
    }

    [Fact]
    public void Generate_keeps_IsDestructiveChange_and_annotations()
    {
        var operation = new SqlOperation { Sql = "DELETE FROM t", IsDestructiveChange = true };
        operation.AddAnnotation("Test:Marker", "kept");

        var received = Generate(operation);

        var sql = Assert.IsType<SqlOperation>(Assert.Single(received));
        Assert.Equal("DELETE FROM t;", sql.Sql);
        Assert.True(sql.IsDestructiveChange);
        Assert.Equal("kept", sql["Test:Marker"]);
    }

    [Fact]
    public void Generate_passes_other_operations_as_the_same_instances_in_order()
    {
        var create = new CreateTableOperation { Name = "Products" };
        var addColumn = new AddColumnOperation { Table = "Products", Name = "Sku", ClrType = typeof(string) };
        var sql = new SqlOperation { Sql = "UPDATE \"Products\" SET \"Sku\" = ''" };
        var index = new CreateIndexOperation { Name = "IX_Products_Sku", Table = "Products", Columns = ["Sku"] };

        var received = Generate(create, addColumn, sql, index);

        Assert.Equal(4, received.Count);
        Assert.Same(create, received[0]);
        Assert.Same(addColumn, received[1]);
        Assert.Equal("UPDATE \"Products\" SET \"Sku\" = '';", Assert.IsType<SqlOperation>(received[2]).Sql);
        Assert.Same(index, received[3]);
    }

    [Fact]
    public void Generate_passes_model_and_options_through()
    {
        var generator = new TerminatingMigrationsSqlGenerator(_inner);

        generator.Generate([], model: null, MigrationsSqlGenerationOptions.Script | MigrationsSqlGenerationOptions.Idempotent);

        Assert.Null(_inner.Model);
        Assert.Equal(MigrationsSqlGenerationOptions.Script | MigrationsSqlGenerationOptions.Idempotent, _inner.Options);
        Assert.Empty(_inner.Operations!);
    }

    [Fact]
    public void Generate_returns_the_inner_generators_commands()
    {
        var generator = new TerminatingMigrationsSqlGenerator(_inner);

        var result = generator.Generate([new SqlOperation { Sql = "SELECT 1" }]);

        Assert.Same(_inner.Result, result);
    }

    /// <summary>Test double: records what it is asked to generate and returns a fixed empty list.</summary>
    private sealed class RecordingGenerator : IMigrationsSqlGenerator
    {
        public IReadOnlyList<MigrationOperation>? Operations { get; private set; }

        public IModel? Model { get; private set; }

        public MigrationsSqlGenerationOptions Options { get; private set; }

        public IReadOnlyList<MigrationCommand> Result { get; } = new List<MigrationCommand>();

        public IReadOnlyList<MigrationCommand> Generate(
            IReadOnlyList<MigrationOperation> operations,
            IModel? model = null,
            MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
        {
            Operations = operations;
            Model = model;
            Options = options;
            return Result;
        }
    }
}
