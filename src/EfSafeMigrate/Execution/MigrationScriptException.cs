namespace EfSafeMigrate.Execution;

/// <summary>
/// The SQL of a plan step could not be generated (for a revert: the migration's <c>Down</c> is
/// irreversible or unsupported). Thrown before anything is executed.
/// </summary>
internal sealed class MigrationScriptException : Exception
{
    /// <summary>Creates the exception for a step and the generator's error.</summary>
    public MigrationScriptException(MigrationStep step, Exception inner)
        : base($"The SQL to {(step.IsRevert ? "revert" : "apply")} migration '{step.MigrationId}' cannot be generated: {inner.Message}", inner)
        => Step = step;

    /// <summary>The step whose SQL failed.</summary>
    public MigrationStep Step { get; }
}
