using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Plans and executes migrations of one <see cref="DbContext"/> one step at a time, through EF
/// Core's own services: the migrations assembly, the history repository and the migrator (with
/// its transactions, migrations lock and execution strategy). Each step runs EF Core's migrator
/// against a view of the migrations assembly that holds only that step's migration, so a step
/// applies or reverts exactly one migration in its own transaction. SQL is generated through
/// <see cref="TerminatingMigrationsSqlGenerator"/>, so scripts and execution run the same SQL.
/// Not thread-safe: one instance per context, used from one thread.
/// </summary>
public sealed class SafeMigrator
{
    private readonly DbContext _context;
    private readonly IMigrationsAssembly _migrationsAssembly;
    private readonly IHistoryRepository _historyRepository;
    private readonly IServiceProvider _services;
    private readonly Type _migratorType;
    private readonly Dictionary<string, IModel?> _targetModels = new(StringComparer.Ordinal);
    private IModel? _snapshotModel;

    /// <summary>Creates a migrator for the context's migrations and database.</summary>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public SafeMigrator(DbContext context)
    {
        _context = context;
        _services = context.GetInfrastructure();
        _migrationsAssembly = context.GetService<IMigrationsAssembly>();
        _historyRepository = context.GetService<IHistoryRepository>();
        _migratorType = context.GetService<IMigrator>().GetType();
    }

    /// <summary>The context this migrator works on.</summary>
    public DbContext Context => _context;

    /// <summary>Migration ids known to the code (the migrations assembly), oldest first.</summary>
    public IReadOnlyList<string> Migrations => _migrationsAssembly.Migrations.Keys.ToList();

    /// <summary>True when the database exists (EF Core's <see cref="IRelationalDatabaseCreator.Exists()"/>).</summary>
    public bool DatabaseExists() => _context.GetService<IRelationalDatabaseCreator>().Exists();

    /// <summary>
    /// Creates the database, empty, when it does not exist (EF Core's database creator). Returns
    /// true when this call created it; false when it existed, or when another run created it at
    /// the same moment.
    /// </summary>
    public bool EnsureDatabaseExists()
    {
        var creator = _context.GetService<IRelationalDatabaseCreator>();
        if (creator.Exists())
        {
            return false;
        }

        try
        {
            creator.Create();
            return true;
        }
        catch (Exception) when (creator.Exists())
        {
            return false; // created concurrently by another run
        }
    }

    /// <summary>
    /// Migration ids recorded in the history table, in the repository's order (by id); empty when
    /// the database or the history table does not exist.
    /// </summary>
    public IReadOnlyList<string> GetAppliedMigrations()
    {
        if (!DatabaseExists() || !_historyRepository.Exists())
        {
            return [];
        }

        return _historyRepository.GetAppliedMigrations().Select(r => r.MigrationId).ToList();
    }

    /// <summary>
    /// Resolves a target given by the user: <c>null</c> or empty means the newest migration (or
    /// <c>0</c> when there is none); <c>0</c> means none; otherwise a migration id or name as EF
    /// Core accepts it (<see cref="IMigrationsAssembly.FindMigrationId"/>).
    /// </summary>
    /// <exception cref="MigrationNotFoundException">No migration has that id or name.</exception>
    public string ResolveTarget(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            var all = Migrations;
            return all.Count == 0 ? Migration.InitialDatabase : all[^1];
        }

        if (target == Migration.InitialDatabase)
        {
            return target;
        }

        return _migrationsAssembly.FindMigrationId(target) ?? throw new MigrationNotFoundException(target);
    }

    /// <summary>Plans the steps from the database's history to <paramref name="target"/> (see <see cref="ResolveTarget"/>).</summary>
    /// <exception cref="MigrationNotFoundException">The target is unknown.</exception>
    public MigrationPlan Plan(string? target)
        => MigrationPlanner.Plan(Migrations, GetAppliedMigrations(), ResolveTarget(target));

    /// <summary>Creates the EF Core migration object for an id (its operations, target model).</summary>
    public Migration GetMigration(string migrationId)
        => _migrationsAssembly.CreateMigration(_migrationsAssembly.Migrations[migrationId], _context.Database.ProviderName!);

    /// <summary>
    /// A migration's target model (the model its designer builds), finalized for design-time use
    /// as EF Core's migrator does; <c>null</c> when the migration has no designer.
    /// </summary>
    public IModel? GetTargetModel(string migrationId)
    {
        if (!_targetModels.TryGetValue(migrationId, out var model))
        {
            model = Finalize(GetMigration(migrationId).TargetModel);
            _targetModels[migrationId] = model;
        }

        return model;
    }

    private IModel? Finalize(IModel? model)
    {
        if (model is null)
        {
            return null;
        }

        // The snapshot's model is cached by the migrations assembly, and EF Core's migrator may
        // already have finalized it (HasPendingModelChanges does): finalize only what is still mutable.
        if (model is IMutableModel mutable && model is Annotatable { IsReadOnly: false })
        {
            model = mutable.FinalizeModel();
        }

        return _context.GetService<IModelRuntimeInitializer>().Initialize(model, designTime: true, validationLogger: null);
    }

    /// <summary>The model snapshot's model, finalized like a target model; null when the project has no snapshot.</summary>
    public IModel? GetSnapshotModel() => _snapshotModel ??= Finalize(_migrationsAssembly.ModelSnapshot?.Model);

    /// <summary>
    /// Generates the SQL of one step without running it. Used before a run starts, so that a
    /// migration whose <c>Up</c> or <c>Down</c> cannot be generated (irreversible, unsupported
    /// operation) stops the run before anything changed.
    /// </summary>
    /// <exception cref="MigrationScriptException">The step's SQL cannot be generated; names the migration.</exception>
    public string GenerateStepScript(MigrationStep step)
    {
        try
        {
            return step.Action switch
            {
                MigrationAction.Apply => CreateMigrator(step.MigrationId).GenerateScript(Migration.InitialDatabase, step.MigrationId),
                MigrationAction.Revert => CreateMigrator(step.MigrationId).GenerateScript(step.MigrationId, Migration.InitialDatabase),
                MigrationAction.FakeApply => _historyRepository.GetInsertScript(new HistoryRow(step.MigrationId, ProductInfo.GetVersion())),
                _ => _historyRepository.GetDeleteScript(step.MigrationId),
            };
        }
        catch (Exception ex) when (ex is not MigrationScriptException)
        {
            throw new MigrationScriptException(step, ex);
        }
    }

    /// <summary>
    /// The SQL script from <paramref name="fromMigration"/> to <paramref name="toMigration"/>
    /// (EF Core's <see cref="IMigrator.GenerateScript"/>, with terminated custom SQL).
    /// </summary>
    /// <param name="fromMigration">Start (exclusive): a migration id or name, or <c>0</c>/<c>null</c> for an empty database.</param>
    /// <param name="toMigration">End (inclusive): a migration id or name, <c>0</c>, or <c>null</c> for the newest.</param>
    /// <param name="options">EF Core's script options (idempotent, no transactions).</param>
    /// <exception cref="MigrationNotFoundException">A migration is unknown.</exception>
    public string GenerateScript(string? fromMigration, string? toMigration, MigrationsSqlGenerationOptions options)
    {
        var from = string.IsNullOrEmpty(fromMigration) ? Migration.InitialDatabase : ResolveTarget(fromMigration);
        var to = ResolveTarget(toMigration);
        return CreateMigrator(_migrationsAssembly).GenerateScript(from, to, options | MigrationsSqlGenerationOptions.Script);
    }

    /// <summary>
    /// Executes one step. Apply and revert run in EF Core's per-migration transaction: when the
    /// migration fails, its changes and its history row are rolled back and the exception is
    /// rethrown as <see cref="MigrationExecutionException"/>. Fake steps only insert or delete the
    /// history row (creating the history table when needed).
    /// </summary>
    /// <returns>How long the step took.</returns>
    /// <exception cref="MigrationExecutionException">The step failed; names the migration and the database error.</exception>
    public TimeSpan Execute(MigrationStep step)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            switch (step.Action)
            {
                case MigrationAction.Apply:
                    CreateMigrator(step.MigrationId).Migrate(step.MigrationId);
                    break;
                case MigrationAction.Revert:
                    CreateMigrator(step.MigrationId).Migrate(Migration.InitialDatabase);
                    break;
                case MigrationAction.FakeApply:
                    _historyRepository.CreateIfNotExists();
                    _context.Database.ExecuteSqlRaw(_historyRepository.GetInsertScript(new HistoryRow(step.MigrationId, ProductInfo.GetVersion())));
                    break;
                case MigrationAction.FakeRevert:
                    _context.Database.ExecuteSqlRaw(_historyRepository.GetDeleteScript(step.MigrationId));
                    break;
            }
        }
        catch (Exception ex)
        {
            throw new MigrationExecutionException(step, ex);
        }

        return watch.Elapsed;
    }

    private IMigrator CreateMigrator(string migrationId)
        => CreateMigrator(new SingleMigrationAssembly(_migrationsAssembly, migrationId));

    private IMigrator CreateMigrator(IMigrationsAssembly assembly)
    {
        // The provider's own migrator type (e.g. Npgsql's), with every dependency from the
        // context's services except the migrations assembly view and the SQL generator decorator.
        var generator = new TerminatingMigrationsSqlGenerator(_context.GetService<IMigrationsSqlGenerator>());
        return (IMigrator)ActivatorUtilities.CreateInstance(_services, _migratorType, assembly, generator);
    }
}
