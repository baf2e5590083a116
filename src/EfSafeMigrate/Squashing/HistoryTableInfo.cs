using System.Reflection;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The history table a provider's history repository uses, and how that provider writes identifiers
/// and string literals — what an <see cref="ISquashScriptGuards"/> needs to write SQL against the same
/// table as the repository's own guards. Read from EF Core's <see cref="HistoryRepository"/> base class,
/// which every relational provider's repository derives from: its protected <c>TableName</c>,
/// <c>TableSchema</c> (from <c>MigrationsHistoryTable(name, schema)</c> in the provider's options, or
/// an override in the provider's repository), <c>MigrationIdColumnName</c>, <c>SqlGenerationHelper</c>
/// and the string type mapping of its <c>Dependencies</c>. Those members are protected (EF Core offers no
/// public way to ask a repository for its table), so they are read by reflection, once.
/// Immutable.
/// </summary>
public sealed class HistoryTableInfo
{
    private const BindingFlags Protected = BindingFlags.Instance | BindingFlags.NonPublic;

    private readonly RelationalTypeMapping _stringMapping;

    private HistoryTableInfo(string tableName, string? tableSchema, string migrationIdColumnName, ISqlGenerationHelper sqlGenerationHelper, RelationalTypeMapping stringMapping)
    {
        TableName = tableName;
        TableSchema = tableSchema;
        MigrationIdColumnName = migrationIdColumnName;
        SqlGenerationHelper = sqlGenerationHelper;
        _stringMapping = stringMapping;
    }

    /// <summary>The history table's name, e.g. <c>__EFMigrationsHistory</c>.</summary>
    public string TableName { get; }

    /// <summary>The history table's schema; null for the provider's default (on PostgreSQL: the first schema of <c>search_path</c>).</summary>
    public string? TableSchema { get; }

    /// <summary>The name of the column holding the migration id, e.g. <c>MigrationId</c>.</summary>
    public string MigrationIdColumnName { get; }

    /// <summary>The provider's SQL generation helper (identifier quoting).</summary>
    public ISqlGenerationHelper SqlGenerationHelper { get; }

    /// <summary>The table as SQL, quoted and schema-qualified when there is a schema, e.g. <c>"__EFMigrationsHistory"</c> or <c>"meta"."history"</c>.</summary>
    public string DelimitedTable => SqlGenerationHelper.DelimitIdentifier(TableName, TableSchema);

    /// <summary>The migration id column as SQL, quoted, e.g. <c>"MigrationId"</c>.</summary>
    public string DelimitedMigrationIdColumn => SqlGenerationHelper.DelimitIdentifier(MigrationIdColumnName);

    /// <summary>A string literal as the provider writes it (its string type mapping), e.g. <c>'it''s'</c>.</summary>
    public string Literal(string value) => _stringMapping.GenerateSqlLiteral(value);

    /// <summary>Reads the table of a provider's history repository.</summary>
    /// <param name="repository">The provider's history repository, not a decorator (e.g. <see cref="SquashAwareHistoryRepository.Inner"/>).</param>
    /// <exception cref="InvalidOperationException">The repository does not derive from EF Core's <see cref="HistoryRepository"/>, or this EF Core version lacks one of the members read; the message names it.</exception>
    public static HistoryTableInfo Of(IHistoryRepository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        if (repository is not HistoryRepository)
        {
            throw new InvalidOperationException(
                $"The history repository {repository.GetType().FullName} does not derive from EF Core's {typeof(HistoryRepository).FullName}, so its table " +
                "(name, schema, column) cannot be read to write squash guards for idempotent scripts. Pass the provider's own repository, not a wrapper of it.");
        }

        var dependencies = Read<HistoryRepositoryDependencies>(repository, "Dependencies");
        return new HistoryTableInfo(
            Read<string>(repository, "TableName"),
            Read<string?>(repository, "TableSchema"),
            Read<string>(repository, "MigrationIdColumnName"),
            Read<ISqlGenerationHelper>(repository, "SqlGenerationHelper"),
            dependencies.TypeMappingSource.GetMapping(typeof(string)));
    }

    private static T Read<T>(IHistoryRepository repository, string name)
    {
        // The base class's property: its getter is virtual, so a provider's override answers.
        var property = typeof(HistoryRepository).GetProperty(name, Protected)
            ?? throw new InvalidOperationException(
                $"EF Core's {typeof(HistoryRepository).FullName} has no protected property '{name}' in this version " +
                $"({typeof(HistoryRepository).Assembly.GetName().Version}); EfSafeMigrate reads it to write squash guards for idempotent scripts. " +
                "Use the EF Core version EfSafeMigrate was built for.");
        return (T)property.GetValue(repository)!;
    }
}
