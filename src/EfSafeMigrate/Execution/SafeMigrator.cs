using System.Diagnostics;
using System.Reflection;
using EfSafeMigrate.Execution.Compiled;
using EfSafeMigrate.Squashing;
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
/// Squashed migrations (<see cref="ReplacesAttribute"/>) are handled by the same rules as
/// <c>UseSafeMigrate()</c> (<see cref="SquashRules"/>), whether or not the application calls it: the
/// context's migrations assembly and history repository are used through
/// <see cref="SquashAwareMigrationsAssembly"/> and <see cref="SquashAwareHistoryRepository"/> (the
/// context's own ones when it uses <c>UseSafeMigrate()</c>, new ones around EF Core's otherwise), so
/// <see cref="Migrations"/>, <see cref="GetAppliedMigrations"/>, <see cref="Plan"/> and every step
/// see a squashed migration or the migrations it replaces, as the database needs.
/// Not thread-safe: one instance per context, used from one thread.
/// </summary>
internal sealed class SafeMigrator
{
    private readonly DbContext _context;
    private readonly SquashAwareMigrationsAssembly _migrationsAssembly;
    private readonly SquashAwareHistoryRepository _historyRepository;
    private readonly RunHistoryRepository _runHistory;
    private readonly RunDatabaseCreator _runCreator;
    private ObjectFactory? _stepMigratorFactory;
    private readonly IServiceProvider _services;
    private readonly Type _migratorType;
    private readonly Dictionary<string, IModel?> _targetModels = new(StringComparer.Ordinal);
    private IModel? _snapshotModel;
    private HashSet<string>? _otherContextsMigrations;
    private CompiledMigrations? _compiled;

    /// <summary>Creates a migrator for the context's migrations and database.</summary>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public SafeMigrator(DbContext context)
    {
        _context = context;
        _services = context.GetInfrastructure();
        (_migrationsAssembly, _historyRepository) = SquashAwareServices.Wrap(
            context.GetService<IMigrationsAssembly>(),
            context.GetService<IHistoryRepository>(),
            context.GetService<IRelationalConnection>());
        _migratorType = context.GetService<IMigrator>().GetType();
        _runHistory = new RunHistoryRepository(_historyRepository);
        _runCreator = new RunDatabaseCreator(context.GetService<IRelationalDatabaseCreator>());
    }

    /// <summary>
    /// A migrator for a database the caller has just created (a throwaway copy) that runs every step in one session: the
    /// context's connection is opened here and stays open until the context is disposed (EF Core leaves open a connection
    /// it did not open), and the database is checked once (<see cref="EnsureDatabaseExists"/>), not before each migration.
    /// Throwaway databases have unpooled connection strings, so that they can be dropped or copied right after use; without
    /// this, each open of EF Core's connection would be a new server session (25 for 6 migrations).
    /// </summary>
    /// <exception cref="InvalidOperationException">The context does not use a relational provider.</exception>
    public static SafeMigrator InOneSession(DbContext context)
    {
        context.Database.OpenConnection();
        var migrator = new SafeMigrator(context);
        migrator.EnsureDatabaseExists();
        return migrator;
    }

    /// <summary>The context this migrator works on.</summary>
    public DbContext Context => _context;

    /// <summary>
    /// Migration ids of the code that apply to the database, oldest first: the migrations assembly's,
    /// with either each squashed migration or the migrations it replaces (<see cref="SquashRules"/>;
    /// the history is read when the choice depends on it).
    /// </summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a finalized squash.</exception>
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
            _runCreator.KnownToExist = true; // the run's steps need not ask again
            return false;
        }

        try
        {
            creator.Create();
            _runCreator.KnownToExist = true;
            return true;
        }
        catch (Exception) when (creator.Exists())
        {
            _runCreator.KnownToExist = true;
            return false; // created concurrently by another run
        }
    }

    /// <summary>
    /// Applied migration ids, by id: the history table's rows as the squash rules see them
    /// (<see cref="SquashResolution.EffectiveApplied"/>) — a squashed migration that counts as applied
    /// is listed instead of the rows of the migrations it replaces, so every id is either one of
    /// <see cref="Migrations"/> or a row the code does not know. Empty when the database or the
    /// history table does not exist.
    /// </summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a finalized squash.</exception>
    public IReadOnlyList<string> GetAppliedMigrations()
    {
        var rows = ReadHistory();
        return _migrationsAssembly.Resolver.Resolve(rows).EffectiveApplied(rows);
    }

    private IReadOnlyList<string> ReadHistory()
    {
        if (!DatabaseExists() || !_historyRepository.Exists())
        {
            return [];
        }

        var others = OtherContextsMigrations();
        return _historyRepository.Inner.GetAppliedMigrations().Select(r => r.MigrationId).Where(id => !others.Contains(id)).ToList();
    }

    /// <summary>
    /// Ids of the migrations that belong to another DbContext of the same migrations assembly. EF Core's
    /// migrations assembly keeps only the migrations whose <see cref="DbContextAttribute"/> names this context,
    /// and several contexts commonly share one history table (its name and schema do not follow
    /// <c>HasDefaultSchema</c>): their rows are not this context's, and EF Core's migrator ignores them too.
    /// </summary>
    private HashSet<string> OtherContextsMigrations()
    {
        if (_otherContextsMigrations is not null)
        {
            return _otherContextsMigrations;
        }

        Type?[] types;
        try
        {
            types = _context.GetService<IMigrationsAssembly>().Assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types;
        }

        var contextType = _context.GetType();
        _otherContextsMigrations = types
            .OfType<Type>()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(Migration)))
            .Select(t => (Context: t.GetCustomAttribute<DbContextAttribute>()?.ContextType, Id: t.GetCustomAttribute<MigrationAttribute>()?.Id))
            .Where(m => m.Context is not null && m.Id is not null && m.Context != contextType && !m.Context.IsAssignableFrom(contextType))
            .Select(m => m.Id!)
            .ToHashSet(StringComparer.Ordinal);
        return _otherContextsMigrations;
    }

    /// <summary>
    /// Resolves a target given by the user: <c>null</c> or empty means the newest migration (or
    /// <c>0</c> when there is none); <c>0</c> means none; otherwise a migration id or name as EF
    /// Core accepts it (<see cref="IMigrationsAssembly.FindMigrationId"/>), which must be one of
    /// <see cref="Migrations"/>.
    /// </summary>
    /// <exception cref="MigrationNotFoundException">No migration has that id or name.</exception>
    /// <exception cref="SquashedAwayMigrationException">The migration exists but does not apply to this database (replaced by a squashed migration that does, or a squashed migration that does not); the message names the one to use.</exception>
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

    /// <summary>
    /// Plans the steps from the database's history to <paramref name="target"/> (see
    /// <see cref="ResolveTarget"/>), from one read of the history: the migrations are
    /// <see cref="Migrations"/> and the applied ones <see cref="GetAppliedMigrations"/> as of that read.
    /// </summary>
    /// <exception cref="MigrationNotFoundException">The target is unknown.</exception>
    /// <exception cref="SquashedAwayMigrationException">The target does not apply to this database.</exception>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a finalized squash.</exception>
    public MigrationPlan Plan(string? target)
    {
        _runHistory.Forget(); // a new run: its steps ask once whether the history table exists
        var rows = ReadHistory();
        var resolution = _migrationsAssembly.Resolver.Resolve(rows);
        var migrations = _migrationsAssembly.View(resolution).Keys.ToList();
        return MigrationPlanner.Plan(migrations, resolution.EffectiveApplied(rows), ResolveTargetIn(migrations, resolution, target));
    }

    private string ResolveTargetIn(IReadOnlyList<string> migrations, SquashResolution resolution, string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return migrations.Count == 0 ? Migration.InitialDatabase : migrations[^1];
        }

        if (target == Migration.InitialDatabase)
        {
            return target;
        }

        var id = _migrationsAssembly.Inner.FindMigrationId(target) ?? throw new MigrationNotFoundException(target);
        return resolution.IsVisible(id) ? id : throw SquashAwareMigrationsAssembly.HiddenMigration(_migrationsAssembly.Resolver.Catalog, resolution, id);
    }

    /// <summary>Creates the EF Core migration object for an id of the code, whether or not it applies to the database (its operations, target model).</summary>
    public Migration GetMigration(string migrationId)
        => _migrationsAssembly.CreateMigration(_migrationsAssembly.Inner.Migrations[migrationId], _context.Database.ProviderName!);

    /// <summary>
    /// A migration's target model (the model its designer builds), finalized for design-time use
    /// as EF Core's migrator does; <c>null</c> when the migration has no designer.
    /// </summary>
    public IModel? GetTargetModel(string migrationId)
    {
        if (!_targetModels.TryGetValue(migrationId, out var model))
        {
            // EF Core gives a migration without a designer an empty target model; that is "none" here.
            var migration = GetMigration(migrationId);
            model = HasDesigner(migration.GetType()) ? Finalize(migration.TargetModel) : null;
            _targetModels[migrationId] = model;
        }

        return model;
    }

    /// <summary>Every migration id of the code, oldest first, including those the squash rules hide for this database.</summary>
    public IReadOnlyList<string> AllMigrations => _migrationsAssembly.Inner.Migrations.Keys.ToList();

    private static bool HasDesigner(Type migrationType)
        => migrationType.GetMethod("BuildTargetModel", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, [typeof(ModelBuilder)])?.DeclaringType != typeof(Migration);

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
                MigrationAction.Revert => RevertScript(step.MigrationId),
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
    /// <remarks>
    /// A non-idempotent script holds the migrations that apply to the database as
    /// <see cref="Migrations"/> sees it (read when it can be reached). An idempotent script
    /// (<see cref="MigrationsSqlGenerationOptions.Idempotent"/>) is meant for any database, so it never
    /// depends on the one the context can reach: it holds the code's migrations as the squash rules see
    /// them for an empty database (squashed migrations, not the migrations they replace), each squashed
    /// migration in the guards of <see cref="SquashAwareHistoryRepository"/> (applied on a database
    /// before its range, skipped on one after it, reverted when it counts as applied), and starts with
    /// <see cref="SquashAwareHistoryRepository.GetSquashRangeCheckScript"/> for the squashed migrations
    /// at or before the newest migration of the script: on a database part-way through one of their
    /// ranges the script stops at its first statement (on PostgreSQL an exception names the squashed
    /// migration and the fix), before any transaction of the script starts.
    /// </remarks>
    /// <param name="fromMigration">Start (exclusive): a migration id or name, or <c>0</c>/<c>null</c> for an empty database.</param>
    /// <param name="toMigration">End (inclusive): a migration id or name, <c>0</c>, or <c>null</c> for the newest.</param>
    /// <param name="options">EF Core's script options (idempotent, no transactions).</param>
    /// <exception cref="MigrationNotFoundException">A migration is unknown.</exception>
    /// <exception cref="SquashedAwayMigrationException">A migration is named that does not apply (to the database; for an idempotent script, to an empty database: a replaced migration); the message names the one to use.</exception>
    /// <exception cref="SquashScriptGuardsUnavailableException">An idempotent script would hold a squashed migration and the provider has no squash guards.</exception>
    public string GenerateScript(string? fromMigration, string? toMigration, MigrationsSqlGenerationOptions options)
    {
        if ((options & MigrationsSqlGenerationOptions.Idempotent) != 0)
        {
            return GenerateIdempotentScript(fromMigration, toMigration, options);
        }

        var from = string.IsNullOrEmpty(fromMigration) ? Migration.InitialDatabase : ResolveTarget(fromMigration);
        var to = ResolveTarget(toMigration);
        return CreateMigrator(_migrationsAssembly).GenerateScript(from, to, options | MigrationsSqlGenerationOptions.Script);
    }

    private string GenerateIdempotentScript(string? fromMigration, string? toMigration, MigrationsSqlGenerationOptions options)
    {
        var code = new SquashCodeViewMigrationsAssembly(_migrationsAssembly);
        var migrations = code.Migrations.Keys.ToList();
        var from = string.IsNullOrEmpty(fromMigration) ? Migration.InitialDatabase : ResolveIn(code, fromMigration);
        var to = string.IsNullOrEmpty(toMigration)
            ? migrations.Count == 0 ? Migration.InitialDatabase : migrations[^1]
            : ResolveIn(code, toMigration);
        var script = CreateMigrator(code).GenerateScript(from, to, options | MigrationsSqlGenerationOptions.Script);

        var newest = new[] { from, to }.Where(id => id != Migration.InitialDatabase).Max(StringComparer.Ordinal);
        var upToNewest = newest is null ? [] : migrations.Where(id => string.CompareOrdinal(id, newest) <= 0);
        return _historyRepository.GetSquashRangeCheckScript(upToNewest) + script;
    }

    private static string ResolveIn(IMigrationsAssembly assembly, string target)
        => target == Migration.InitialDatabase ? target : assembly.FindMigrationId(target) ?? throw new MigrationNotFoundException(target);

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
                case MigrationAction.Apply or MigrationAction.Revert:
                    var (migrator, to) = StepMigrator(step);
                    migrator.Migrate(to);
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

    /// <summary>
    /// Executes one step, as <see cref="Execute"/> does, through EF Core's
    /// <see cref="IMigrator.MigrateAsync"/> so that it can be cancelled: when
    /// <paramref name="cancellationToken"/> is cancelled while the migration runs, the provider cancels the
    /// running statement (Npgsql sends PostgreSQL a cancel request), EF Core's per-migration transaction
    /// rolls back, and <see cref="OperationCanceledException"/> is thrown. A step that committed before the
    /// cancellation was seen completes normally.
    /// </summary>
    /// <returns>How long the step took.</returns>
    /// <exception cref="MigrationExecutionException">The step failed; names the migration and the database error.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the step was rolled back.</exception>
    public async Task<TimeSpan> ExecuteAsync(MigrationStep step, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var watch = Stopwatch.StartNew();
        try
        {
            switch (step.Action)
            {
                case MigrationAction.Apply or MigrationAction.Revert:
                    var (migrator, to) = StepMigrator(step);
                    await migrator.MigrateAsync(to, cancellationToken);
                    break;
                case MigrationAction.FakeApply:
                    await _historyRepository.CreateIfNotExistsAsync(cancellationToken);
                    await _context.Database.ExecuteSqlRawAsync(_historyRepository.GetInsertScript(new HistoryRow(step.MigrationId, ProductInfo.GetVersion())), cancellationToken);
                    break;
                case MigrationAction.FakeRevert:
                    await _context.Database.ExecuteSqlRawAsync(_historyRepository.GetDeleteScript(step.MigrationId), cancellationToken);
                    break;
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && IsCancellation(ex))
        {
            throw new OperationCanceledException($"Migration '{step.MigrationId}' was cancelled and rolled back.", ex, cancellationToken);
        }
        catch (Exception ex)
        {
            throw new MigrationExecutionException(step, ex);
        }

        return watch.Elapsed;
    }

    // Npgsql throws OperationCanceledException (around PostgreSQL's 57014 query_canceled); EF Core
    // may wrap it. A connection broken by the cancellation counts too, once the token is cancelled.
    private static bool IsCancellation(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is OperationCanceledException || (e is System.Data.Common.DbException db && db.SqlState == "57014"))
            {
                return true;
            }
        }

        return ex is System.Data.Common.DbException or InvalidOperationException;
    }

    /// <summary>
    /// The migration EF Core reverts <paramref name="migrationId"/> to: the one before it in the migrations assembly, in
    /// EF Core's order (by id); null for the first. Its target model is the model EF Core generates the <c>Down</c> SQL with.
    /// </summary>
    private string? PreviousMigration(string migrationId)
    {
        var ids = _migrationsAssembly.Inner.Migrations.Keys.Order(StringComparer.OrdinalIgnoreCase).ToList();
        var index = ids.FindIndex(id => string.Equals(id, migrationId, StringComparison.OrdinalIgnoreCase));
        return index > 0 ? ids[index - 1] : null;
    }

    // The script of a revert, as EF Core's 'migrations script <migration> <previous>' writes it: Down with the previous migration's target model.
    private string RevertScript(string migrationId)
    {
        var previous = PreviousMigration(migrationId);
        return CreateMigrator(new SingleMigrationAssembly(_migrationsAssembly.Inner, migrationId, previous))
            .GenerateScript(migrationId, previous ?? Migration.InitialDatabase);
    }

    // A revert runs to the previous migration, with it in the view, so that EF Core gives Down its target model. EF Core
    // would also apply that migration if the history lacks it (out of order): then the view holds only the reverted one,
    // and Down runs without a model, as before. An apply runs its migration up to itself.
    private (string? Previous, string Target) StepTarget(MigrationStep step)
    {
        if (step.Action != MigrationAction.Revert)
        {
            return (null, step.MigrationId);
        }

        var previous = PreviousMigration(step.MigrationId);
        return previous is not null && ReadHistory().Contains(previous, StringComparer.OrdinalIgnoreCase)
            ? (previous, previous)
            : (null, Migration.InitialDatabase);
    }

    private string? CompiledKey(MigrationStep step, string? previous)
        => _compiled is null ? null : step.Action == MigrationAction.Revert ? _compiled.Keys.Down(step.MigrationId, previous) : _compiled.Keys.Up(step.MigrationId);

    private static string Direction(MigrationStep step) => step.Action == MigrationAction.Revert ? "down" : "up";

    // The migrator of an apply or revert step and the target to migrate it to. With compiled migrations, the step's SQL comes
    // from the cache (and its migrations get no target model), or EF Core generates it and the cache is filled.
    private (IMigrator Migrator, string Target) StepMigrator(MigrationStep step)
    {
        var (previous, target) = StepTarget(step);
        if (_compiled is not { } compiled)
        {
            return (CreateMigrator(new SingleMigrationAssembly(_migrationsAssembly.Inner, step.MigrationId, previous), StepGenerator(), _runHistory), target);
        }

        var key = CompiledKey(step, previous);
        var commands = compiled.Lookup(key);
        var view = new SingleMigrationAssembly(_migrationsAssembly.Inner, step.MigrationId, previous, commands is null ? null : compiled.WithoutTargetModel);
        var generator = new CompiledStepSqlGenerator(new TerminatingMigrationsSqlGenerator(_context.GetService<IMigrationsSqlGenerator>()), commands, _context)
        {
            Generated = key is null ? null : generated => compiled.Store(key, step.MigrationId, Direction(step), generated),
        };
        return (CreateMigrator(view, generator, _runHistory), target);
    }

    /// <summary>
    /// Turns compiled migrations on: from now on an apply or revert step takes its SQL from <paramref name="cache"/> when the
    /// step was compiled before (same key, <see cref="CompiledStepKeys"/>), and otherwise has EF Core generate it and stores it.
    /// Scripts (<see cref="GenerateScript"/>, <see cref="GenerateStepScript"/>) are always EF Core's.
    /// </summary>
    /// <param name="cache">Where compiled steps are read and written.</param>
    /// <param name="checksum">A migration's source checksum by id (as in <c>safe-migrate.sum</c>); null: the migration is never cached.</param>
    /// <returns>The compiled migrations, for their counts.</returns>
    public CompiledMigrations UseCompiledMigrations(CompiledMigrationCache cache, Func<string, string?> checksum)
    {
        var keys = new CompiledStepKeys(_context, _historyRepository, _context.GetService<IMigrationsSqlGenerator>(), checksum);
        _compiled = new CompiledMigrations(cache, keys, Finalize((IModel)new ModelBuilder().Model)!);
        return _compiled;
    }

    /// <summary>The compiled migrations in use; null when <see cref="UseCompiledMigrations"/> was not called.</summary>
    public CompiledMigrations? Compiled => _compiled;

    /// <summary>
    /// Makes sure a step can run before anything changes, as <see cref="GenerateStepScript"/> does. With compiled migrations,
    /// an apply or revert step already in the cache needs nothing (it was generated without error before); one that is not has
    /// EF Core's migrator generate the commands it will execute (its <c>GenerateUpSql</c>/<c>GenerateDownSql</c>, with the
    /// default options <c>Migrate</c> uses) and they are stored, so that executing the step builds no target model again.
    /// </summary>
    /// <exception cref="MigrationScriptException">The step's SQL cannot be generated; names the migration.</exception>
    public void PrepareStep(MigrationStep step)
    {
        if (_compiled is not { } compiled || step.Action is MigrationAction.FakeApply or MigrationAction.FakeRevert)
        {
            GenerateStepScript(step);
            return;
        }

        // A revert reverts to the previous migration, which a database being reverted has applied (StepTarget reads the
        // history when the step runs; an out-of-order history gets another key there, and is compiled then).
        var previous = step.Action == MigrationAction.Revert ? PreviousMigration(step.MigrationId) : null;
        var key = CompiledKey(step, previous);
        var generate = _migratorType.GetMethod(
            step.Action == MigrationAction.Revert ? "GenerateDownSql" : "GenerateUpSql",
            BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic,
            step.Action == MigrationAction.Revert ? [typeof(Migration), typeof(Migration), typeof(MigrationsSqlGenerationOptions)] : [typeof(Migration), typeof(MigrationsSqlGenerationOptions)]);
        if (key is null || generate is null)
        {
            GenerateStepScript(step);
            return;
        }

        if (compiled.IsCompiled(key))
        {
            return;
        }

        try
        {
            var view = new SingleMigrationAssembly(_migrationsAssembly.Inner, step.MigrationId, previous);
            var generator = new CompiledStepSqlGenerator(new TerminatingMigrationsSqlGenerator(_context.GetService<IMigrationsSqlGenerator>()), null, _context)
            {
                Generated = generated => compiled.Store(key, step.MigrationId, Direction(step), generated),
            };
            var migrator = CreateMigrator(view, generator);
            var providerName = _context.Database.ProviderName!;
            var migration = view.CreateMigration(view.Migrations[step.MigrationId], providerName);
            object?[] arguments = step.Action == MigrationAction.Revert
                ? [migration, previous is null ? null : view.CreateMigration(view.Migrations[previous], providerName), MigrationsSqlGenerationOptions.Default]
                : [migration, MigrationsSqlGenerationOptions.Default];
            generate.Invoke(migrator, arguments);
            compiled.Compiled(key);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new MigrationScriptException(step, ex.InnerException);
        }
        catch (Exception ex) when (ex is not MigrationScriptException)
        {
            throw new MigrationScriptException(step, ex);
        }
    }

    // A step runs the migration it was planned with, looked up in the undecorated assembly: the
    // squash rules' choice was made when planning, and may change as the steps run (after the last
    // replaced migration is reverted, the squashed migration applies instead).
    private IMigrator CreateMigrator(string migrationId)
        => CreateMigrator(new SingleMigrationAssembly(_migrationsAssembly.Inner, migrationId));

    private IMigrator CreateMigrator(IMigrationsAssembly assembly)
        => CreateMigrator(assembly, StepGenerator());

    private TerminatingMigrationsSqlGenerator StepGenerator() => new(_context.GetService<IMigrationsSqlGenerator>());

    // A step's migrator gets the run's history repository and database creator (RunHistoryRepository, RunDatabaseCreator: the
    // table's and the database's existence asked once per run); scripts and generation get the squash-aware repository as it is.
    private IMigrator CreateMigrator(IMigrationsAssembly assembly, IMigrationsSqlGenerator generator, IHistoryRepository? history = null)
    {
        // The provider's own migrator type (e.g. Npgsql's), with every dependency from the
        // context's services except the migrations assembly view, the squash-aware history
        // repository (synthetic rows of squashed migrations; deleting a squashed migration's row
        // deletes the rows it replaces) and the SQL generator decorator.
        if (history is null)
        {
            return (IMigrator)ActivatorUtilities.CreateInstance(_services, _migratorType, assembly, _historyRepository, generator);
        }

        // A run creates one migrator per step: the constructor is looked up once (ActivatorUtilities' factory), not per step.
        _stepMigratorFactory ??= ActivatorUtilities.CreateFactory(_migratorType,
            [typeof(IMigrationsAssembly), typeof(IHistoryRepository), typeof(IMigrationsSqlGenerator), typeof(IRelationalDatabaseCreator)]);
        return (IMigrator)_stepMigratorFactory(_services, [assembly, history, generator, _runCreator]);
    }
}
