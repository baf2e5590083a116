using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// Compiled migrations for one <see cref="SafeMigrator"/>: generate each step's SQL once, apply it anywhere. Holds the cache
/// (<see cref="CompiledMigrationCache"/>), the keys (<see cref="CompiledStepKeys"/>) and the counts of one run.
/// The expensive part of EF Core's migrator is building and finalizing each migration's target model (its designer's
/// <c>BuildTargetModel</c>) to generate SQL that never changes for a given migration, EF Core, provider and options. On a hit
/// the step's migration gets an empty, already finalized target model instead (EF Core reads
/// <see cref="Migration.TargetModel"/> before it calls the generator, and <see cref="CompiledStepSqlGenerator"/> does not use
/// it), so no target model is built; everything else is EF Core's migrator as without the cache. Not thread-safe (one per
/// <see cref="SafeMigrator"/>); the cache folder may be shared.
/// </summary>
internal sealed class CompiledMigrations
{
    // EF Core Relational's backing field of Migration.TargetModel (built on first read); if a later EF Core renames it the
    // cache still serves the SQL, and the target model is simply built as before.
    private static readonly FieldInfo? TargetModelField = typeof(Migration).GetField("_targetModel", BindingFlags.Instance | BindingFlags.NonPublic);

    private readonly IModel _emptyModel;
    private readonly HashSet<string> _compiledThisRun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<CompiledCommand>> _read = new(StringComparer.Ordinal);

    /// <summary>Creates the compiled migrations of a context.</summary>
    /// <param name="cache">Where the compiled steps are stored.</param>
    /// <param name="keys">The keys of the context's steps.</param>
    /// <param name="emptyModel">An empty target model finalized for design time as EF Core's migrator finalizes models.</param>
    public CompiledMigrations(CompiledMigrationCache cache, CompiledStepKeys keys, IModel emptyModel)
    {
        Cache = cache;
        Keys = keys;
        _emptyModel = emptyModel;
    }

    /// <summary>The cache.</summary>
    public CompiledMigrationCache Cache { get; }

    /// <summary>The keys.</summary>
    public CompiledStepKeys Keys { get; }

    /// <summary>Steps whose SQL came from the cache, compiled by an earlier run.</summary>
    public int Hits { get; private set; }

    /// <summary>Steps whose SQL EF Core generated in this run (no usable file, or no key); stored when they had a key.</summary>
    public int Misses { get; private set; }

    /// <summary>Files written.</summary>
    public int Written { get; private set; }

    /// <summary>
    /// The compiled commands under <paramref name="key"/> for a step about to run, counting a hit (unless this run compiled
    /// the step itself, <see cref="Compiled"/>) or a miss; null on a miss.
    /// </summary>
    public IReadOnlyList<CompiledCommand>? Lookup(string? key)
    {
        IReadOnlyList<CompiledCommand>? commands = null;
        if (key is not null && !_read.Remove(key, out commands))
        {
            commands = Cache.TryRead(key);
        }

        if (commands is null)
        {
            Misses++;
        }
        else if (!_compiledThisRun.Remove(key!))
        {
            Hits++;
        }

        return commands;
    }

    /// <summary>
    /// True when the step under <paramref name="key"/> is compiled (a usable file); its commands are kept for the step's
    /// <see cref="Lookup"/>, so that a run reads each file once (checking the plan before anything runs, then executing it).
    /// </summary>
    public bool IsCompiled(string key)
    {
        if (_read.ContainsKey(key))
        {
            return true;
        }

        if (Cache.TryRead(key) is not { } commands)
        {
            return false;
        }

        _read[key] = commands;
        return true;
    }

    /// <summary>Counts a step this run compiled before running it (a miss: EF Core generated its SQL), stored under <paramref name="key"/>.</summary>
    public void Compiled(string key)
    {
        Misses++;
        _compiledThisRun.Add(key);
    }

    /// <summary>Stores a step's commands.</summary>
    public void Store(string key, string migrationId, string direction, IReadOnlyList<CompiledCommand> commands)
    {
        if (Cache.Write(key, migrationId, direction, commands))
        {
            Written++;
        }
    }

    /// <summary>
    /// Gives a migration EF Core creates for a step served from the cache the empty finalized target model, so EF Core's
    /// migrator does not build the real one (which only the SQL generator would read).
    /// </summary>
    public Migration WithoutTargetModel(Migration migration)
    {
        TargetModelField?.SetValue(migration, _emptyModel);
        return migration;
    }

    /// <summary>Resets the counts (a run's summary counts its own steps).</summary>
    public void ResetCounts()
    {
        (Hits, Misses, Written) = (0, 0, 0);
        _compiledThisRun.Clear();
        _read.Clear();
    }
}
