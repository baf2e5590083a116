using System.Text;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace EfSafeMigrate.Squashing;

/// <summary>
/// The provider's <see cref="IHistoryRepository"/> (e.g. Npgsql's <c>NpgsqlHistoryRepository</c>)
/// with the squash rules (<see cref="SquashRules"/>) applied to what it reads:
/// <see cref="GetAppliedMigrations"/> returns the history table's rows plus a synthetic row for each
/// squashed migration whose replaced migrations are all applied (it counts as applied; nothing is
/// written), and refuses a database inside the range of a finalized squash
/// (<see cref="PartiallyAppliedSquashException"/>). <see cref="GetDeleteScript"/> of a squashed
/// migration also deletes the rows of the migrations it replaces, so that reverting a squashed
/// migration that counted as applied through those rows leaves no stale row behind. The guards of
/// idempotent scripts (<see cref="GetBeginIfNotExistsScript"/>, <see cref="GetBeginIfExistsScript"/>)
/// follow the same rules for squashed migrations and the migrations they replace, in the provider's
/// SQL (<see cref="ScriptGuards"/>). Everything else — existence, creation, EF Core's migrations lock,
/// insert scripts, the end of the guards — is the wrapped repository's.
/// </summary>
/// <remarks>
/// <para>
/// Idempotent scripts, applying. EF Core wraps each command of a migration in
/// <see cref="GetBeginIfNotExistsScript"/> … <see cref="GetEndIfScript"/>. For a squashed migration S
/// the block first raises an error when the database is part-way through the migrations S replaces
/// (some have history rows, S does not count as applied: the error names S, the range and the fix),
/// and then runs the command only when none of S and the migrations it replaces has a row. So a
/// database before the range gets S, a database after it (every replaced migration applied, no row
/// for S) skips S and goes on with the migrations after it, and a database inside it stops before
/// anything of S runs. A replaced migration (present in a script only when the script was generated
/// for a database inside or after the range) runs only when neither it nor a squashed migration
/// replacing it has a row, so that such a script skips it on a database that got the squashed
/// migration instead.
/// </para>
/// <para>
/// Idempotent scripts, reverting. For S, <see cref="GetBeginIfExistsScript"/> raises the same error
/// inside the range and otherwise runs S's <c>Down</c> when S counts as applied — its own row, or the
/// rows of every migration it replaces — and <see cref="GetDeleteScript"/> then deletes all of those
/// rows. Replaced migrations keep EF Core's guard (their own row).
/// </para>
/// <para>
/// The guards raise at S's blocks; migrations before S in the script have run or been skipped by then
/// (a database inside the range has them all applied, so in practice nothing ran). <c>dotnet
/// safe-migrate script --idempotent</c> (<c>SafeMigrator.GenerateScript</c>) also puts
/// <see cref="GetSquashRangeCheckScript"/> before the first statement of the script, which stops it
/// before anything runs. Scripts that EF Core generates itself for a context with
/// <c>UseSafeMigrate()</c> (<c>dotnet ef migrations script --idempotent</c>) have the guards only.
/// </para>
/// <para>
/// Without <see cref="ScriptGuards"/> (a provider other than PostgreSQL, or EfSafeMigrate.Npgsql not
/// deployed with the application), the guard of a squashed migration is refused with
/// <see cref="SquashScriptGuardsUnavailableException"/> rather than left to EF Core's, which would
/// run it again on a database after its range; replaced migrations keep EF Core's guards.
/// </para>
/// <para>Not thread-safe, like EF Core's scoped services.</para>
/// </remarks>
public sealed class SquashAwareHistoryRepository : IHistoryRepository
{
    /// <summary>Wraps a history repository.</summary>
    /// <param name="inner">The provider's history repository (not a decorated one).</param>
    /// <param name="innerAssembly">The provider's migrations assembly (not a decorated one), to read the squashed migrations from.</param>
    /// <param name="connection">The context's connection; null when unknown.</param>
    public SquashAwareHistoryRepository(IHistoryRepository inner, IMigrationsAssembly innerAssembly, IRelationalConnection? connection)
        : this(new SquashResolver(innerAssembly, inner, connection))
    {
    }

    internal SquashAwareHistoryRepository(SquashResolver resolver) => Resolver = resolver;

    private ISquashScriptGuards? _scriptGuards;
    private bool _scriptGuardsKnown;

    /// <summary>The wrapped history repository.</summary>
    public IHistoryRepository Inner => Resolver.InnerHistory;

    internal SquashResolver Resolver { get; }

    /// <summary>
    /// The provider's SQL for the guards of squashed migrations in idempotent scripts. Unless set, it
    /// is found on first use from the wrapped repository's type: for Npgsql's history repository,
    /// <c>EfSafeMigrate.Npgsql.Squashing.NpgsqlSquashScriptGuards</c> when the EfSafeMigrate.Npgsql
    /// assembly can be loaded (the application references the package; <c>dotnet safe-migrate</c>
    /// ships it). Null when there are none; set it to supply an implementation (or null to have none).
    /// </summary>
    /// <exception cref="InvalidOperationException">The implementation found cannot read the wrapped repository's table (see <see cref="HistoryTableInfo.Of"/>).</exception>
    public ISquashScriptGuards? ScriptGuards
    {
        get
        {
            if (!_scriptGuardsKnown)
            {
                _scriptGuards = SquashScriptGuardsLocator.Find(Inner);
                _scriptGuardsKnown = true;
            }

            return _scriptGuards;
        }
        set
        {
            _scriptGuards = value;
            _scriptGuardsKnown = true;
        }
    }

    /// <inheritdoc />
    public LockReleaseBehavior LockReleaseBehavior => Inner.LockReleaseBehavior;

    /// <inheritdoc />
    public bool Exists() => Inner.Exists();

    /// <inheritdoc />
    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Inner.ExistsAsync(cancellationToken);

    /// <inheritdoc />
    public void Create() => Inner.Create();

    /// <inheritdoc />
    public Task CreateAsync(CancellationToken cancellationToken = default) => Inner.CreateAsync(cancellationToken);

    /// <inheritdoc />
    public bool CreateIfNotExists() => Inner.CreateIfNotExists();

    /// <inheritdoc />
    public Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) => Inner.CreateIfNotExistsAsync(cancellationToken);

    /// <inheritdoc />
    public IMigrationsDatabaseLock AcquireDatabaseLock() => Inner.AcquireDatabaseLock();

    /// <inheritdoc />
    public Task<IMigrationsDatabaseLock> AcquireDatabaseLockAsync(CancellationToken cancellationToken = default) => Inner.AcquireDatabaseLockAsync(cancellationToken);

    /// <summary>
    /// The history table's rows, plus a synthetic row for each squashed migration that counts as
    /// applied (all the migrations it replaces are applied), ordered by migration id as the
    /// provider's query orders them. A synthetic row's product version is that of the newest row it
    /// stands for.
    /// </summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a squash whose replaced migrations are no longer in the code; nothing may run.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule (see <see cref="SquashCatalog"/>).</exception>
    public IReadOnlyList<HistoryRow> GetAppliedMigrations() => WithSquashes(Inner.GetAppliedMigrations());

    /// <summary>Asynchronous form of <see cref="GetAppliedMigrations"/>.</summary>
    /// <exception cref="PartiallyAppliedSquashException">The database is inside the range of a squash whose replaced migrations are no longer in the code.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule.</exception>
    public async Task<IReadOnlyList<HistoryRow>> GetAppliedMigrationsAsync(CancellationToken cancellationToken = default)
        => WithSquashes(await Inner.GetAppliedMigrationsAsync(cancellationToken).ConfigureAwait(false));

    /// <inheritdoc />
    public string GetCreateScript() => Inner.GetCreateScript();

    /// <inheritdoc />
    public string GetCreateIfNotExistsScript() => Inner.GetCreateIfNotExistsScript();

    /// <inheritdoc />
    public string GetInsertScript(HistoryRow row) => Inner.GetInsertScript(row);

    /// <summary>
    /// The script that deletes a migration's history row (EF Core's migrator runs it when it reverts
    /// the migration). For a squashed migration it also deletes the rows of every migration it
    /// replaces: a database that got the replaced migrations one by one has their rows, not the
    /// squashed migration's, and reverting the squashed migration must leave neither.
    /// </summary>
    public string GetDeleteScript(string migrationId)
    {
        var script = Inner.GetDeleteScript(migrationId);
        if (Resolver.Catalog.Find(migrationId) is not { } squash)
        {
            return script;
        }

        var builder = new StringBuilder(script);
        foreach (var replaced in Resolver.Catalog.ReplacedTransitively(squash))
        {
            builder.Append(Inner.GetDeleteScript(replaced));
        }

        return builder.ToString();
    }

    /// <summary>
    /// The beginning of the guard of a command of a migration in an idempotent script that applies it
    /// (see the class remarks): the wrapped repository's for a migration no squash involves; for a
    /// squashed migration, a guard that stops the script when the database is part-way through its
    /// range and runs the command only when none of it and the migrations it replaces is applied; for a
    /// replaced migration, one that also skips the command when a squashed migration replacing it is applied.
    /// </summary>
    /// <exception cref="SquashScriptGuardsUnavailableException">The migration is a squashed migration and there are no <see cref="ScriptGuards"/>.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule (see <see cref="SquashCatalog"/>).</exception>
    public string GetBeginIfNotExistsScript(string migrationId)
    {
        var script = Inner.GetBeginIfNotExistsScript(migrationId);
        var catalog = Resolver.Catalog;
        if (catalog.Find(migrationId) is { } squash)
        {
            var conditions = ConditionsFor(squash);
            return LeadingLineBreaks(script) + ScriptGuards!.GetBeginIfScript(conditions.ApplyCondition(migrationId), conditions.RangeCheck(squash, atScriptStart: false));
        }

        if (catalog.ReplacedBy(migrationId) is not null && ScriptGuards is { } guards)
        {
            return LeadingLineBreaks(script) + guards.GetBeginIfScript(new SquashScriptConditions(catalog, guards).ApplyCondition(migrationId), check: null);
        }

        return script;
    }

    /// <summary>
    /// The beginning of the guard of a command of a migration in an idempotent script that reverts it
    /// (see the class remarks): the wrapped repository's, except for a squashed migration: a guard that
    /// stops the script when the database is part-way through its range and runs the command when the
    /// squashed migration counts as applied (its row, or the rows of every migration it replaces).
    /// </summary>
    /// <exception cref="SquashScriptGuardsUnavailableException">The migration is a squashed migration and there are no <see cref="ScriptGuards"/>.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule.</exception>
    public string GetBeginIfExistsScript(string migrationId)
    {
        var script = Inner.GetBeginIfExistsScript(migrationId);
        if (Resolver.Catalog.Find(migrationId) is not { } squash)
        {
            return script;
        }

        var conditions = ConditionsFor(squash);
        return LeadingLineBreaks(script) + ScriptGuards!.GetBeginIfScript(conditions.RevertCondition(squash), conditions.RangeCheck(squash, atScriptStart: false));
    }

    /// <summary>The wrapped repository's end of a guard; every guard of this repository ends with it.</summary>
    public string GetEndIfScript() => Inner.GetEndIfScript();

    /// <summary>
    /// A statement for the very start of an idempotent script that applies or reverts
    /// <paramref name="migrationIds"/>: it stops the script before anything runs when the database is
    /// part-way through the range of one of the squashed migrations among them (the error names it, the
    /// range and the fix), and does nothing otherwise — also on a database without a history table.
    /// Empty when there is no squashed migration among them. Pass the migrations the script contains and
    /// those before them (a database inside a range is not ready for the migrations after it either).
    /// </summary>
    /// <param name="migrationIds">Migration ids, in any order; those that are not squashed migrations are ignored.</param>
    /// <returns>The statement followed by an empty line, or an empty string.</returns>
    /// <exception cref="SquashScriptGuardsUnavailableException">There is a squashed migration among them and there are no <see cref="ScriptGuards"/>.</exception>
    /// <exception cref="InvalidOperationException">A squashed migration's <see cref="ReplacesAttribute"/> breaks a rule.</exception>
    public string GetSquashRangeCheckScript(IEnumerable<string> migrationIds)
    {
        ArgumentNullException.ThrowIfNull(migrationIds);
        var catalog = Resolver.Catalog;
        var squashes = migrationIds.Select(catalog.Find).OfType<SquashedMigration>().Distinct().OrderBy(s => s.Id, StringComparer.Ordinal).ToList();
        if (squashes.Count == 0)
        {
            return string.Empty;
        }

        var conditions = ConditionsFor(squashes[0]);
        return ScriptGuards!.GetRangeCheckScript(squashes.Select(s => conditions.RangeCheck(s, atScriptStart: true)).ToList()) + Environment.NewLine;
    }

    private SquashScriptConditions ConditionsFor(SquashedMigration squash)
        => new(Resolver.Catalog, ScriptGuards ?? throw new SquashScriptGuardsUnavailableException(squash, Inner.GetType()));

    // The provider's guard may start with line breaks (Npgsql's separates blocks with an empty line): keep the script's layout.
    private static string LeadingLineBreaks(string script) => script[..(script.Length - script.TrimStart('\r', '\n').Length)];

    private IReadOnlyList<HistoryRow> WithSquashes(IReadOnlyList<HistoryRow> rows)
    {
        var catalog = Resolver.Catalog;
        if (catalog.IsEmpty)
        {
            return rows;
        }

        var resolution = Resolver.Resolve(rows.Select(r => r.MigrationId));
        if (resolution.CountedAsApplied.Count == 0)
        {
            return rows;
        }

        var byId = rows.ToDictionary(r => r.MigrationId, StringComparer.OrdinalIgnoreCase);
        var result = rows.ToList();
        foreach (var id in resolution.CountedAsApplied)
        {
            var newest = catalog.ReplacedTransitively(catalog.Find(id)!)
                .Select(byId.GetValueOrDefault)
                .LastOrDefault(r => r is not null);
            result.Add(new HistoryRow(id, newest?.ProductVersion ?? ProductInfo.GetVersion()));
        }

        result.Sort((a, b) => string.CompareOrdinal(a.MigrationId, b.MigrationId));
        return result;
    }
}
