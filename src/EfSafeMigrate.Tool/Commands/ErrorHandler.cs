using System.Reflection;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Locking;
using EfSafeMigrate.Squashing;
using EfSafeMigrate.Tool.Hosting;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// Turns an exception into one printed message and an exit code (<see cref="ExitCodes"/>).
/// Expected failures print their message only; unexpected ones add the stack with --verbose.
/// </summary>
internal static class ErrorHandler
{
    /// <summary>Reports the exception and returns the exit code.</summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="reporter">Where the message goes.</param>
    /// <param name="database">The command's database as <see cref="DatabaseServices.Describe"/> names it (never a password), for connection errors; null when not known.</param>
    public static int Report(Exception exception, Reporter reporter, string? database = null)
    {
        var ex = Unwrap(exception);
        var (code, message) = Classify(ex, database);
        reporter.Error(message);
        if (code == ExitCodes.ProblemsFound && ex is not CommandException)
        {
            reporter.Detail(ex.ToString());
        }

        return code;
    }

    /// <summary>
    /// The exit code and the one message for an exception, without printing them (<c>apply --fleet</c> collects
    /// them per database).
    /// </summary>
    /// <param name="exception">What went wrong.</param>
    /// <param name="database">The database as <see cref="DatabaseServices.Describe"/> names it (never a password); null when not known.</param>
    public static (int Code, string Message) Classify(Exception exception, string? database = null)
    {
        var ex = Unwrap(exception);
        return ex switch
        {
            CommandException c => (c.ExitCode, c.Message),
            MigrationNotFoundException => (ExitCodes.UsageError, ex.Message),
            SquashedAwayMigrationException => (ExitCodes.UsageError, ex.Message),
            PartiallyAppliedSquashException => (ExitCodes.ApplyFailed, ex.Message + " Nothing was changed."),
            BackupException => (ExitCodes.BackupFailed, ex.Message + " Nothing was changed."),
            MigrationLockTimeoutException => (ExitCodes.ApplyFailed, ex.Message),
            MigrationScriptException s when s.Step.IsRevert => (ExitCodes.ApplyFailed,
                ex.Message + " Nothing was changed. Its Down cannot undo it; to get back to a point before it, restore a backup taken before it was applied: " +
                "'dotnet safe-migrate backup list' lists them, 'dotnet safe-migrate rollback --backup <file>' restores one."),
            MigrationScriptException => (ExitCodes.ApplyFailed, ex.Message + " Nothing was changed."),
            PlanStepFailedException => (ExitCodes.ApplyFailed, ex.Message),
            _ when DatabaseServices.IsConnectionError(ex) => (ExitCodes.UsageError,
                $"Cannot connect to {database ?? "the database"}: {MigrationExecutionException.DatabaseError(ex)}. Check the connection string (--connection or the application's configuration)."),
            _ => (ExitCodes.ProblemsFound, ex.Message),
        };
    }

    private static Exception Unwrap(Exception ex)
    {
        while (ex is TargetInvocationException or AggregateException && ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }
}
