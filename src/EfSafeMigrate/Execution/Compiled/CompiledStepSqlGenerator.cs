using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// The SQL generator EF Core's migrator gets for one step when the compiled-migrations cache is on. With the step's compiled
/// commands (a hit), it returns them as EF Core <see cref="MigrationCommand"/>s (same text, same
/// <see cref="MigrationCommand.TransactionSuppressed"/>, built with EF Core's <see cref="IRawSqlCommandBuilder"/> and logged by
/// its command logger) without looking at the operations or the model; the migrator adds the history row's command and runs
/// them all with its own transaction, lock and execution strategy. Without them (a miss), it is the generator it decorates, and
/// hands what that generated to <see cref="Generated"/> so the cache can be filled. Only
/// <see cref="MigrationsSqlGenerationOptions.Default"/> (what <c>Migrate</c> asks for) is served from the cache; any other
/// options (scripts) always reach the decorated generator.
/// </summary>
internal sealed class CompiledStepSqlGenerator : IMigrationsSqlGenerator
{
    private readonly IMigrationsSqlGenerator _inner;
    private readonly IReadOnlyList<CompiledCommand>? _compiled;
    private readonly DbContext _context;

    /// <summary>Creates the generator of one step.</summary>
    /// <param name="inner">The generator EF Core would use (the provider's, behind <see cref="TerminatingMigrationsSqlGenerator"/>).</param>
    /// <param name="compiled">The step's compiled commands; null on a miss.</param>
    /// <param name="context">The context (EF Core's command builder and logger come from it).</param>
    public CompiledStepSqlGenerator(IMigrationsSqlGenerator inner, IReadOnlyList<CompiledCommand>? compiled, DbContext context)
    {
        _inner = inner;
        _compiled = compiled;
        _context = context;
    }

    /// <summary>Receives the commands the decorated generator produced with the default options (a miss); null ignores them.</summary>
    public Action<IReadOnlyList<CompiledCommand>>? Generated { get; init; }

    /// <summary>How many times the step's commands came from the cache.</summary>
    public int Hits { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<MigrationCommand> Generate(IReadOnlyList<MigrationOperation> operations, IModel? model = null, MigrationsSqlGenerationOptions options = MigrationsSqlGenerationOptions.Default)
    {
        if (options != MigrationsSqlGenerationOptions.Default)
        {
            return _inner.Generate(operations, model, options);
        }

        if (_compiled is not null)
        {
            Hits++;
            return ToMigrationCommands(_compiled, _context);
        }

        var commands = _inner.Generate(operations, model, options);
        Generated?.Invoke(commands.Select(c => new CompiledCommand(c.CommandText, c.TransactionSuppressed)).ToList());
        return commands;
    }

    /// <summary>EF Core's commands for compiled ones, in order.</summary>
    public static IReadOnlyList<MigrationCommand> ToMigrationCommands(IReadOnlyList<CompiledCommand> compiled, DbContext context)
    {
        var builder = context.GetService<IRawSqlCommandBuilder>();
        var logger = context.GetService<IRelationalCommandDiagnosticsLogger>();
        return compiled.Select(c => new MigrationCommand(builder.Build(c.Sql), context, logger, c.TransactionSuppressed)).ToList();
    }
}
