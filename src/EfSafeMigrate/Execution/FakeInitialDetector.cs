using EfSafeMigrate.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Execution;

/// <summary>What <see cref="FakeInitialDetector"/> decided about the initial migration.</summary>
internal enum FakeInitialDecision
{
    /// <summary>None of the tables the initial migration creates (CreateTable) nor the columns it adds (AddColumn) exist (or it creates none and the database has no table): apply it normally.</summary>
    Apply,

    /// <summary>It creates at least one table or column, and every table and column it creates or adds exists with the target model's type and nullability: record it as applied.</summary>
    Fake,

    /// <summary>Some exist, others are missing or differ (the differences say why), or it creates no table to check and the database is not empty: refuse.</summary>
    Refuse,
}

/// <summary>The outcome of <see cref="FakeInitialDetector.Detect"/>.</summary>
/// <param name="Decision">Apply, fake or refuse.</param>
/// <param name="InitialMigration">The initial migration's id.</param>
/// <param name="Differences">For <see cref="FakeInitialDecision.Refuse"/>: each table or column that is missing or differs, in table order.</param>
/// <param name="MatchingMigration">For a refusal: the newest migration whose whole target model the live schema matches exactly, if any (adopt it with <c>apply --fake</c>).</param>
/// <param name="Unverifiable">
/// True when the initial migration creates no table through <c>CreateTable</c> and adds no column through <c>AddColumn</c> (its schema comes from
/// <c>Sql()</c> or custom operations), so nothing proves that what it creates exists: it is never faked
/// (applied on a database without tables, refused otherwise; <c>apply --fake</c> is the explicit choice).
/// </param>
/// <param name="LiveTables">For an unverifiable refusal: how many tables the database has (history tables aside).</param>
internal sealed record FakeInitialResult(
    FakeInitialDecision Decision,
    string InitialMigration,
    IReadOnlyList<SchemaDifference> Differences,
    string? MatchingMigration,
    bool Unverifiable = false,
    int LiveTables = 0);

/// <summary>
/// Decides whether the initial migration can be recorded as applied without running it
/// (Django's <c>migrate --fake-initial</c>, <c>MigrationExecutor.detect_soft_applied</c>). Django
/// checks table and column names only; this also checks every column's store type and
/// nullability against the migration's target model, read from the live schema. Only what was
/// proven to exist is faked: like Django, which soft-applies only migrations with
/// <c>CreateModel</c> operations whose tables all exist, an initial migration that creates no table
/// through <c>CreateTable</c> (only <c>Sql()</c>) is never faked — applied on a database without
/// tables, refused on any other (the user decides with <c>apply --fake</c> or a plain <c>apply</c>).
/// </summary>
internal sealed class FakeInitialDetector
{
    private readonly SafeMigrator _migrator;
    private readonly ISchemaInspector _inspector;
    private readonly IReadOnlyCollection<string> _bookkeepingTables;

    /// <summary>Creates a detector for a migrator's migrations and a live database.</summary>
    /// <param name="migrator">The context's migrations.</param>
    /// <param name="inspector">The live database's tables.</param>
    /// <param name="bookkeepingTables">
    /// Names of the tables that record migrations rather than being made by them (any schema): EF Core's history table as the
    /// context configures it (<c>MigrationsHistoryTable(name, schema)</c>, default <c>__EFMigrationsHistory</c>), EF Core's
    /// lock table, the journal. They never count as the database's own tables.
    /// </param>
    public FakeInitialDetector(SafeMigrator migrator, ISchemaInspector inspector, IReadOnlyCollection<string> bookkeepingTables)
    {
        _migrator = migrator;
        _inspector = inspector;
        _bookkeepingTables = bookkeepingTables;
    }

    /// <summary>Compares the tables the initial migration creates with the live schema.</summary>
    /// <param name="initialMigration">The first migration of the project (oldest id).</param>
    public FakeInitialResult Detect(string initialMigration)
    {
        var migration = _migrator.GetMigration(initialMigration);
        var targetModel = _migrator.GetTargetModel(initialMigration);
        var created = TargetModelSchema.CreatedTables(migration.UpOperations, targetModel, _inspector);
        var added = AddedColumns(migration.UpOperations, created, targetModel);
        var live = _inspector.GetTables();
        if (created.Count == 0 && added.Count == 0)
        {
            var userTables = live.Count(t => !_bookkeepingTables.Contains(t.Name, StringComparer.Ordinal));
            return userTables == 0
                ? new FakeInitialResult(FakeInitialDecision.Apply, initialMigration, [], null, Unverifiable: true)
                : new FakeInitialResult(FakeInitialDecision.Refuse, initialMigration, [], FindMatchingMigration(live), Unverifiable: true, LiveTables: userTables);
        }

        // Django's detect_soft_applied: every table it creates (CreateTable) and every column it adds (AddColumn) must exist.
        var differences = SchemaComparer.Compare([.. created, .. added], live, _bookkeepingTables, exact: false);
        var missingTables = differences.Where(d => d.Kind == SchemaDifferenceKind.MissingTable).Select(d => d.Table).ToHashSet(StringComparer.Ordinal);
        var missingColumns = differences.Where(d => d.Kind == SchemaDifferenceKind.MissingColumn).Select(d => (d.Table, d.Column)).ToHashSet();
        var nothingExists = created.All(t => missingTables.Contains(t.DisplayName))
            && added.All(t => missingTables.Contains(t.DisplayName) || t.Columns.All(c => missingColumns.Contains((t.DisplayName, c.Name))));
        if (nothingExists)
        {
            return new FakeInitialResult(FakeInitialDecision.Apply, initialMigration, [], null);
        }

        if (differences.Count == 0)
        {
            return new FakeInitialResult(FakeInitialDecision.Fake, initialMigration, [], null);
        }

        return new FakeInitialResult(FakeInitialDecision.Refuse, initialMigration, differences, FindMatchingMigration(live));
    }

    /// <summary>
    /// The newest migration whose target model's tables and columns the live schema matches
    /// exactly (no missing, extra or different tables or columns, history tables aside); null
    /// when none does.
    /// </summary>
    /// <summary>
    /// The columns the migration adds (<see cref="AddColumnOperation"/>) to tables it does not create itself, as
    /// expected tables holding only those columns; the store type comes from the operation, else from the target model.
    /// A column whose type is known from neither is left out (it cannot be compared).
    /// </summary>
    private List<SchemaTable> AddedColumns(IReadOnlyList<MigrationOperation> upOperations, IReadOnlyList<SchemaTable> created, Microsoft.EntityFrameworkCore.Metadata.IModel? targetModel)
    {
        var modelTables = targetModel is null ? [] : TargetModelSchema.FromModel(targetModel, _inspector);
        var result = new List<SchemaTable>();
        foreach (var group in upOperations.OfType<AddColumnOperation>()
                     .GroupBy(op => (Schema: op.Schema ?? targetModel?.GetDefaultSchema() ?? _inspector.DefaultSchema, op.Table)))
        {
            if (created.Any(t => t.Schema == group.Key.Schema && t.Name == group.Key.Table))
            {
                continue; // its columns are the created table's
            }

            var modelTable = modelTables.FirstOrDefault(t => t.Schema == group.Key.Schema && t.Name == group.Key.Table);
            var columns = new List<TableColumn>();
            foreach (var op in group)
            {
                var fromModel = modelTable?.Columns.FirstOrDefault(c => c.Name == op.Name);
                if (op.ColumnType is not null)
                {
                    columns.Add(new TableColumn(op.Name, _inspector.NormalizeStoreType(op.ColumnType), op.IsNullable));
                }
                else if (fromModel is not null)
                {
                    columns.Add(fromModel);
                }
            }

            if (columns.Count > 0)
            {
                result.Add(new SchemaTable(group.Key.Schema, group.Key.Table, columns));
            }
        }

        return result;
    }

    public string? FindMatchingMigration(IReadOnlyList<SchemaTable>? live = null)
    {
        live ??= _inspector.GetTables();
        foreach (var id in _migrator.Migrations.Reverse())
        {
            var model = _migrator.GetTargetModel(id);
            if (model is not null && SchemaComparer.Compare(TargetModelSchema.FromModel(model, _inspector), live, _bookkeepingTables, exact: true).Count == 0)
            {
                return id;
            }
        }

        return null;
    }
}
