namespace EfSafeMigrate.Tool;

/// <summary>The tool's exit codes; stable, documented in the README.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>A check found problems (e.g. fake-initial refused, a backup failed verification), or an unexpected error.</summary>
    public const int ProblemsFound = 1;

    /// <summary>Usage or configuration error (unknown option, unknown migration, project not found, cannot connect).</summary>
    public const int UsageError = 2;

    /// <summary>Input was needed (a confirmation) but the input is not a terminal and <c>--yes</c> was not given.</summary>
    public const int InputRequired = 3;

    /// <summary>The backup failed; nothing was changed.</summary>
    public const int BackupFailed = 4;

    /// <summary>Apply failed: a migration failed (the message names it, the error and the backup to restore), its SQL could not be generated, or the lock was not free in time.</summary>
    public const int ApplyFailed = 5;

    /// <summary>Interrupted by SIGINT (Ctrl+C) during a migration run: stopped at a safe point (the running migration rolled back, nothing further started). 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated by SIGTERM during a migration run: stopped at a safe point (the running migration rolled back, nothing further started). 128 + 15.</summary>
    public const int Terminated = 143;
}
