using EfSafeMigrate.Design.Squash;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Design.Squashing;

/// <summary>
/// Plans the migration that replaces a range FROM..TO of a context's migrations (Django's
/// <c>squashmigrations</c>, on EF Core's services).
/// <list type="bullet">
/// <item>Up is EF Core's model differ (<see cref="IMigrationsModelDiffer"/>) from the target model of
/// the migration before FROM (an empty model when FROM is the first) to TO's target model; Down is the
/// differ the other way. What the range added and removed again disappears.</item>
/// <item>The range's custom operations (<c>Sql(...)</c>, hand-written data operations,
/// <c>RestartSequence</c>: see <see cref="OperationClassifier"/>) are kept in their original order,
/// AFTER the schema operations of Up, which they usually depend on; their Down counterparts run
/// BEFORE the schema operations of Down, newest migration first, each migration's in its own order.</item>
/// <item>The rule for custom operations: moving one must not change what it sees. A custom Up
/// operation is refused when an operation after it in the range creates, drops or renames a table,
/// column or sequence it uses, changes the type or nullability of a column it uses, or adds a
/// required column to a table it inserts into; and SQL that creates an extension, type, domain or
/// collation is refused when schema operations follow it (they may use it). A custom Down operation is
/// refused when a Down operation that ran before it creates or renames what it uses. See
/// <see cref="CustomOperationRules"/> and <see cref="OperationFootprint"/> (how SQL is read).</item>
/// <item>Also refused: a migration without a target model, a Down that throws, an operation the
/// squash can neither recompute nor write, pending model changes, and ranges holding or overlapping a squash.</item>
/// <item>Refused with <see cref="SquashRefusalKind.NotFromModels"/>, where the models disagree with the code: a
/// schema operation the models do not record (written by hand, or designers generated on other branches,
/// <see cref="HandWrittenOperationCheck"/>) or a drop the original migrations do not do (<see cref="DataLossGuard"/>).
/// Such a range can be squashed from its own operations (<see cref="PlanFromOperations"/>).</item>
/// <item>A plan is not proof: the caller proves it on scratch databases (<c>SquashEquivalenceProof</c>) before writing it.</item>
/// </list>
/// Nothing is written here; <see cref="SquashedMigrationWriter"/> writes the plan.
/// </summary>
public sealed class MigrationSquasher
{
    private readonly SafeMigrator _migrator;
    private readonly IMigrationsModelDiffer _differ;
    private readonly IMigrationsAssembly _migrationsAssembly;

    /// <summary>Creates the squasher.</summary>
    /// <param name="migrator">The context's migrator (finalized target models, migration objects).</param>
    /// <param name="design">EF Core Design's services for the same context (the model differ).</param>
    public MigrationSquasher(SafeMigrator migrator, DesignTimeServices design)
    {
        _migrator = migrator;
        _differ = design.Services.GetRequiredService<IMigrationsModelDiffer>();
        _migrationsAssembly = CodeMigrations.Of(migrator.Context);
    }

    /// <summary>Plans the squash of FROM..TO.</summary>
    /// <param name="from">The first migration to replace (id or name).</param>
    /// <param name="to">The last migration to replace (id or name).</param>
    /// <param name="name">The squashed migration's name, or null for <c>Squashed&lt;FromName&gt;To&lt;ToName&gt;</c>.</param>
    /// <exception cref="SquashRefusedException">The squash is refused; the message says what, where and the fix.</exception>
    public SquashPlan Plan(string from, string to, string? name)
    {
        var (range, @namespace) = Prepare(from, to, ref name);
        var previousModel = range.PreviousId is null ? null : PreviousModel(range.PreviousId);
        var migrations = range.MigrationIds.Select(id => RangeMigration.Load(_migrator, id)).ToList();

        var warnings = new List<string>();
        var keptUp = new List<KeptOperation>();
        var keptDownPerMigration = new List<IReadOnlyList<KeptOperation>>();
        var parent = previousModel;
        var parentDescription = range.PreviousId is null ? "an empty model" : $"the target model of '{range.PreviousId}'";
        foreach (var migration in migrations)
        {
            var up = Differences(parent, migration.TargetModel);
            var down = Differences(migration.TargetModel, parent);
            warnings.AddRange(HandWrittenOperationCheck.Check(migration.Id, migration.Up, up, parentDescription));
            keptUp.AddRange(OperationClassifier.Custom(migration.Id, "Up", migration.Up, up).Select(c => new KeptOperation(migration.Id, "Up", c.Index, c.Operation)));
            keptDownPerMigration.Add(OperationClassifier.Custom(migration.Id, "Down", migration.Down, down).Select(c => new KeptOperation(migration.Id, "Down", c.Index, c.Operation)).ToList());
            parent = migration.TargetModel;
            parentDescription = $"the target model of '{migration.Id}'";
        }

        var keptDown = Enumerable.Range(0, migrations.Count).Reverse().SelectMany(i => keptDownPerMigration[i]).ToList();
        var problems = CheckUp(migrations, keptUp).Concat(CheckDown(migrations, keptDown)).ToList();
        if (problems.Count > 0)
        {
            throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                $"The range {range.From}..{range.To} cannot be squashed safely: its custom operations would run against another schema than they were written for.{Environment.NewLine}" +
                string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        var target = migrations[^1].TargetModel;
        var schemaUp = Differences(previousModel, target);
        var schemaDown = Differences(target, previousModel);
        DataLossGuard.Check("Up", schemaUp, migrations.SelectMany(m => m.Up.Select(o => (m.Id, o))).ToList());
        DataLossGuard.Check("Down", schemaDown, Enumerable.Reverse(migrations).SelectMany(m => m.Down.Select(o => (m.Id, o))).ToList());

        return new SquashPlan(
            SquashedMigrationName.IdFor(range, name!),
            name!,
            @namespace,
            range,
            schemaUp.Concat(keptUp.Select(k => k.Operation)).ToList(),
            keptDown.Select(k => k.Operation).Concat(schemaDown).ToList(),
            target,
            keptUp,
            keptDown,
            warnings);
    }

    /// <summary>
    /// Plans the squash of FROM..TO from what the migrations do rather than from their models: Up is every Up
    /// operation of the range in order (oldest migration first), Down every Down operation in the order a revert
    /// of the range runs them (newest migration first, each migration's in its own order); the designer gets TO's
    /// target model. Nothing is recomputed, so nothing the migrations do is lost or reordered, whatever their
    /// designers say (designers generated on other branches, operations written by hand); what the range adds and
    /// drops again stays in. Used when <see cref="Plan"/> refuses with <see cref="SquashRefusalKind.NotFromModels"/>
    /// or its plan does not prove equivalent; the caller proves this one too.
    /// </summary>
    /// <param name="from">The first migration to replace (id or name).</param>
    /// <param name="to">The last migration to replace (id or name).</param>
    /// <param name="name">The squashed migration's name, or null for the default.</param>
    /// <exception cref="SquashRefusedException">The request is wrong, a migration has no target model or its Up or Down throws, an operation is of a type EF Core's C# generator cannot write, the model has pending changes, or the range holds or overlaps a squash.</exception>
    public SquashPlan PlanFromOperations(string from, string to, string? name)
    {
        var (range, @namespace) = Prepare(from, to, ref name);
        var migrations = range.MigrationIds.Select(id => RangeMigration.Load(_migrator, id)).ToList();
        foreach (var migration in migrations)
        {
            Writable(migration.Id, "Up", migration.Up);
            Writable(migration.Id, "Down", migration.Down);
        }

        var up = migrations.SelectMany(m => m.Up).ToList();
        var down = Enumerable.Reverse(migrations).SelectMany(m => m.Down).ToList();
        var keptUp = migrations.SelectMany(m => m.Up.Select((o, i) => (o, i)).Where(p => !OperationClassifier.IsSchema(p.o)).Select(p => new KeptOperation(m.Id, "Up", p.i, p.o))).ToList();
        var keptDown = Enumerable.Reverse(migrations).SelectMany(m => m.Down.Select((o, i) => (o, i)).Where(p => !OperationClassifier.IsSchema(p.o)).Select(p => new KeptOperation(m.Id, "Down", p.i, p.o))).ToList();
        return new SquashPlan(
            SquashedMigrationName.IdFor(range, name!),
            name!,
            @namespace,
            range,
            up,
            down,
            migrations[^1].TargetModel,
            keptUp,
            keptDown,
            [],
            FromOperations: true);
    }

    private (SquashRange Range, string Namespace) Prepare(string from, string to, ref string? name)
    {
        var range = SquashRange.Resolve(_migrationsAssembly, from, to);
        var @namespace = _migrationsAssembly.Migrations[range.From].Namespace ?? string.Empty;
        name = string.IsNullOrWhiteSpace(name) ? SquashedMigrationName.Default(range) : name.Trim();
        SquashedMigrationName.Validate(name, range, _migrationsAssembly.Migrations.Keys.ToList(), _migrationsAssembly, _migrator.Context.GetType(), @namespace);

        if (_migrator.Context.GetService<IMigrator>().HasPendingModelChanges())
        {
            throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                $"The model of {_migrator.Context.GetType().Name} has changes that no migration captures (the code model differs from the model snapshot). " +
                "Add a migration for them first (dotnet safe-migrate add <Name>), or undo them, then squash.");
        }

        return (range, @namespace);
    }

    // An operation EF Core's C# migration generator cannot write (a provider's or the application's own type) cannot be carried over.
    private static void Writable(string migrationId, string direction, IReadOnlyList<MigrationOperation> operations)
    {
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            if (!OperationClassifier.IsSchema(operation) && !OperationClassifier.IsData(operation) && !OperationClassifier.IsAlwaysCustom(operation))
            {
                throw new SquashRefusedException(SquashRefusalKind.Unsafe,
                    $"Migration '{migrationId}', {OperationText.Describe(direction, i, operation)}: a {operation.GetType().FullName}, which EF Core's C# migration generator cannot write, so the squash cannot carry it over. " +
                    "Squash a range that does not include this migration.");
            }
        }
    }

    private IModel PreviousModel(string id)
    {
        var model = TargetModelPresence.HasTargetModel(_migrator.GetMigration(id)) ? _migrator.GetTargetModel(id) : null;
        return model ?? throw new SquashRefusedException(SquashRefusalKind.Unsafe,
            $"The migration before the range, '{id}', has no target model (no designer file), so the schema the range starts from is unknown. " +
            $"Start the range right after a migration that has a designer file, or restore the designer file of '{id}' ({id}.Designer.cs) from version control.");
    }

    private IReadOnlyList<MigrationOperation> Differences(IModel? source, IModel? target)
        => _differ.GetDifferences(source?.GetRelationalModel(), target?.GetRelationalModel());

    // Each kept Up operation against every operation after it in the range.
    private static IEnumerable<string> CheckUp(IReadOnlyList<RangeMigration> migrations, IReadOnlyList<KeptOperation> kept)
    {
        var position = migrations.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        foreach (var custom in kept)
        {
            var footprint = OperationFootprint.Of(custom.Operation);
            var later = Later(migrations, position[custom.MigrationId], custom.Index).ToList();
            var problem = later
                .Select(l => (Later: l, Reason: CustomOperationRules.UpConflict(footprint, l.Operation)))
                .FirstOrDefault(c => c.Reason is not null);
            if (problem.Reason is null && footprint.CreatesDatabaseObject is { } created && later.FirstOrDefault(l => OperationClassifier.IsSchema(l.Operation)) is { Operation: not null } schema)
            {
                problem = (schema, $"it creates {created}, which the schema operations after it may use (a column type, a default), and they would run before it");
            }

            if (problem.Reason is not null)
            {
                var (migrationId, index, operation) = problem.Later;
                yield return $"{custom}: the squashed Up runs it after all schema operations of the range, but {problem.Reason} (that operation: {migrationId} {OperationText.Describe("Up", index, operation)}). " +
                             $"Fix: squash a range that ends before '{migrationId}' or starts after '{custom.MigrationId}'.";
            }
        }
    }

    // Each kept Down operation against every Down operation that ran before it when the range was reverted one migration at a time.
    private static IEnumerable<string> CheckDown(IReadOnlyList<RangeMigration> migrations, IReadOnlyList<KeptOperation> kept)
    {
        var position = migrations.Select((m, i) => (m.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        foreach (var custom in kept)
        {
            var footprint = OperationFootprint.Of(custom.Operation);
            var own = position[custom.MigrationId];
            var earlier = Enumerable.Range(own + 1, migrations.Count - own - 1).Reverse()
                .SelectMany(i => migrations[i].Down.Select((o, j) => (migrations[i].Id, Index: j, Operation: o)))
                .Concat(migrations[own].Down.Take(custom.Index).Select((o, j) => (migrations[own].Id, Index: j, Operation: o)));
            foreach (var (migrationId, index, operation) in earlier)
            {
                if (CustomOperationRules.DownConflict(footprint, operation) is { } reason)
                {
                    yield return $"{custom}: the squashed Down runs it before all schema operations of the range's Down, but {reason} (that operation: {migrationId} {OperationText.Describe("Down", index, operation)}). " +
                                 $"Fix: squash a range that ends before '{migrationId}' or starts after '{custom.MigrationId}'.";
                    break;
                }
            }
        }
    }

    private static IEnumerable<(string MigrationId, int Index, MigrationOperation Operation)> Later(IReadOnlyList<RangeMigration> migrations, int migration, int index)
    {
        for (var i = migration; i < migrations.Count; i++)
        {
            var up = migrations[i].Up;
            for (var j = i == migration ? index + 1 : 0; j < up.Count; j++)
            {
                yield return (migrations[i].Id, j, up[j]);
            }
        }
    }
}
