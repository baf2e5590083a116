namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>How a PostgreSQL client program ended.</summary>
/// <param name="ExitCode">The process exit code; 0 is success.</param>
/// <param name="StandardOutput">Everything it wrote to standard output.</param>
/// <param name="StandardError">Everything it wrote to standard error (libpq and program messages; never holds the password, which is not on the command line).</param>
/// <param name="DurationMilliseconds">Wall-clock time from start to exit, in milliseconds.</param>
internal sealed record PgProcessResult(int ExitCode, string StandardOutput, string StandardError, long DurationMilliseconds)
{
    /// <summary>Whether the exit code is 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>Standard error, trimmed, or a note with the exit code when it is empty; for messages.</summary>
    public string ErrorSummary => string.IsNullOrWhiteSpace(StandardError)
        ? $"exit code {ExitCode}, no error output"
        : StandardError.Trim();
}
