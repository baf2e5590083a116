using EfSafeMigrate.Lint;

namespace EfSafeMigrate.Execution.Compiled;

/// <summary>
/// Cached lint verdicts of the steps of a run with compiled migrations: a step whose migration gave no finding at all (no error,
/// warning or info) is stored as clean, keyed like its compiled SQL (<see cref="CompiledStepKeys.Lint"/>: the migration's source
/// checksum, the direction, EF Core, the provider and this library, and the lint options' <see cref="LintOptions.Fingerprint"/>),
/// and is not linted again while the key is the same. Only clean verdicts are stored: a finding's severity depends on the live
/// table sizes (<see cref="LintEngine"/>), so a step with any finding is linted on every run, while a step with none has nothing
/// for the sizes to change (the engine reads sizes only for findings). A missing, unreadable or corrupt file is a miss (the step
/// is linted). Not thread-safe (one per run).
/// </summary>
internal sealed class LintVerdicts
{
    private readonly CompiledMigrations _compiled;
    private readonly string _fingerprint;

    /// <summary>Creates the verdicts of a run.</summary>
    /// <param name="compiled">The run's compiled migrations (their keys and cache folder).</param>
    /// <param name="options">The lint options the steps are linted with (after any per-run overrides).</param>
    public LintVerdicts(CompiledMigrations compiled, LintOptions options)
    {
        _compiled = compiled;
        _fingerprint = options.Fingerprint();
    }

    /// <summary>Steps found clean in the cache in this run.</summary>
    public int Hits { get; private set; }

    /// <summary>True when <paramref name="step"/> (an apply or revert) is stored as clean under its current key.</summary>
    public bool IsClean(MigrationStep step)
    {
        var clean = Key(step) is { } key && _compiled.Cache.HasCleanVerdict(key, step.MigrationId, Direction(step));
        if (clean)
        {
            Hits++;
        }

        return clean;
    }

    /// <summary>Stores <paramref name="step"/> as clean (it was linted in this run and gave no finding); nothing when its key is unknown.</summary>
    public void RecordClean(MigrationStep step)
    {
        if (Key(step) is { } key)
        {
            _compiled.Cache.WriteCleanVerdict(key, step.MigrationId, Direction(step));
        }
    }

    private string? Key(MigrationStep step) => _compiled.Keys.Lint(step.MigrationId, Direction(step), _fingerprint);

    private static string Direction(MigrationStep step) => step.IsRevert ? "down" : "up";
}
