namespace EfSafeMigrate.Execution;

/// <summary>
/// A migration failed while it ran. EF Core ran it in a transaction, so it left nothing behind
/// (unless it suppressed the transaction); the steps before it stay applied.
/// </summary>
internal sealed class MigrationExecutionException : Exception
{
    /// <summary>Creates the exception for a step and the database error.</summary>
    public MigrationExecutionException(MigrationStep step, Exception inner)
        : base($"Migration '{step.MigrationId}' failed to {(step.IsRevert ? "revert" : "apply")}: {DatabaseError(inner)}", inner)
        => Step = step;

    /// <summary>The step that failed.</summary>
    public MigrationStep Step { get; }

    /// <summary>
    /// The database's own error, unwrapped from EF Core's and the provider's exceptions: the first
    /// exception in the chain that carries a SQLSTATE (<see cref="System.Data.Common.DbException.SqlState"/>;
    /// Npgsql's <c>PostgresException</c>), as <c>SQLSTATE: message</c> (e.g. PostgreSQL's
    /// <c>22012: division by zero</c>, <c>55P03: canceling statement due to lock timeout</c>); for a
    /// client-side timeout (a <see cref="TimeoutException"/> in the chain, e.g. Npgsql's "Exception while
    /// reading from stream" after the command timeout), says that the command timed out; otherwise the
    /// innermost database exception's message.
    /// </summary>
    public static string DatabaseError(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { SqlState: { Length: > 0 } state } db)
            {
                return db.Message.StartsWith(state, StringComparison.Ordinal) ? db.Message : $"{state}: {db.Message}";
            }
        }

        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException timeout)
            {
                return $"the command timed out on the client (command timeout) before the database answered ({timeout.Message})";
            }
        }

        var inner = ex;
        while (inner.InnerException is not null && inner is not System.Data.Common.DbException)
        {
            inner = inner.InnerException;
        }

        return inner.Message;
    }
}
