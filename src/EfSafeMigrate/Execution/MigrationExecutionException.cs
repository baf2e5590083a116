namespace EfSafeMigrate.Execution;

/// <summary>
/// A migration failed while it ran. EF Core ran it in a transaction, so it left nothing behind
/// (unless it suppressed the transaction); the steps before it stay applied.
/// </summary>
public sealed class MigrationExecutionException : Exception
{
    /// <summary>Creates the exception for a step and the database error.</summary>
    public MigrationExecutionException(MigrationStep step, Exception inner)
        : base($"Migration '{step.MigrationId}' failed to {(step.IsRevert ? "revert" : "apply")}: {DatabaseError(inner)}", inner)
        => Step = step;

    /// <summary>The step that failed.</summary>
    public MigrationStep Step { get; }

    /// <summary>The innermost database error message (e.g. PostgreSQL's <c>22012: division by zero</c>).</summary>
    public static string DatabaseError(Exception ex)
    {
        var e = ex;
        while (e.InnerException is not null && e is not System.Data.Common.DbException)
        {
            e = e.InnerException;
        }

        return e.Message;
    }
}
