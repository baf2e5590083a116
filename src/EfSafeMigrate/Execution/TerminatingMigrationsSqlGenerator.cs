using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Decorates the provider's <see cref="IMigrationsSqlGenerator"/>: every <see cref="SqlOperation"/>
/// gets a closing statement terminator (<see cref="SqlStatementTerminator"/>) before the provider
/// generates its command, so that generated scripts run as they are in <c>psql</c>. All other
/// operations reach the provider untouched.
/// </summary>
internal sealed class TerminatingMigrationsSqlGenerator : IMigrationsSqlGenerator
{
    private readonly IMigrationsSqlGenerator _inner;

    /// <summary>Wraps the provider's generator.</summary>
    public TerminatingMigrationsSqlGenerator(IMigrationsSqlGenerator inner) => _inner = inner;

    /// <inheritdoc />
    public IReadOnlyList<MigrationCommand> Generate(
        IReadOnlyList<MigrationOperation> operations,
        IModel? model = null,
        MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
        => _inner.Generate(operations.Select(Terminate).ToList(), model, options);

    private static MigrationOperation Terminate(MigrationOperation operation)
    {
        if (operation is not SqlOperation sql)
        {
            return operation;
        }

        var terminated = SqlStatementTerminator.EnsureTerminated(sql.Sql);
        if (ReferenceEquals(terminated, sql.Sql))
        {
            return operation;
        }

        var copy = new SqlOperation { Sql = terminated, SuppressTransaction = sql.SuppressTransaction, IsDestructiveChange = sql.IsDestructiveChange };
        foreach (var annotation in sql.GetAnnotations())
        {
            copy.AddAnnotation(annotation.Name, annotation.Value);
        }

        return copy;
    }
}
