namespace EfSafeMigrate.Locking;

/// <summary>
/// Keeps a migration from queueing behind other sessions' table locks for long, and says who
/// blocked it. Provider-specific (PostgreSQL: <c>lock_timeout</c> on the migrating session,
/// SQLSTATE <c>55P03</c>, <c>pg_blocking_pids</c> and <c>pg_stat_activity</c>). Used by
/// <see cref="Execution.PlanRunner"/> around each migration; one instance per migrating
/// connection, used from one thread (the watch samples on its own connection and task).
/// </summary>
internal interface ILockContention
{
    /// <summary>
    /// Sets the lock timeout of the migrating connection (which must be open) for the statements
    /// that follow, until the handle is disposed, which puts the session's previous setting back.
    /// <see cref="TimeSpan.Zero"/> means no lock timeout.
    /// </summary>
    Task<IAsyncDisposable> SetLockTimeoutAsync(TimeSpan lockTimeout, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="exception"/> (or one it wraps) is the database's "lock not available" error (PostgreSQL: SQLSTATE 55P03, raised by <c>lock_timeout</c> or <c>NOWAIT</c>).</summary>
    bool IsLockNotAvailable(Exception exception);

    /// <summary>
    /// Starts watching, from a second connection, which sessions block the migrating connection,
    /// every <paramref name="interval"/> (the first look after one interval, so a migration that
    /// never waits costs nothing but a timer). Dispose it when the attempt ends.
    /// </summary>
    IBlockerWatch Watch(TimeSpan interval);
}

/// <summary>A running sample of the sessions that block the migrating connection (<see cref="ILockContention.Watch"/>).</summary>
internal interface IBlockerWatch : IAsyncDisposable
{
    /// <summary>The blockers seen by the latest sample that found any, by process id; empty when none was seen.</summary>
    IReadOnlyList<BlockingSession> Blockers { get; }

    /// <summary>What the migrating session was waiting for when <see cref="Blockers"/> was sampled (e.g. <c>AccessExclusiveLock on table public."Products"</c>), or null.</summary>
    string? WaitingFor { get; }
}

/// <summary>A session that held a lock the migration waited for.</summary>
/// <param name="ProcessId">The server process id (PostgreSQL: <c>pg_stat_activity.pid</c>).</param>
/// <param name="UserName">Its database user, or null when not visible.</param>
/// <param name="ApplicationName">Its <c>application_name</c>, or null when empty.</param>
/// <param name="State">Its state (<c>active</c>, <c>idle in transaction</c>, ...), or null when not visible.</param>
/// <param name="TransactionAge">How long its current transaction (or, outside one, its query) had been running when sampled; null when unknown.</param>
/// <param name="Query">The start of its current or last query (up to 200 characters, one line), or null when not visible.</param>
/// <param name="TerminateSql">The SQL that would end it (PostgreSQL: <c>SELECT pg_terminate_backend(pid);</c>); never run by the tool.</param>
internal sealed record BlockingSession(int ProcessId, string? UserName, string? ApplicationName, string? State, TimeSpan? TransactionAge, string? Query, string TerminateSql)
{
    /// <summary>One line: <c>pid 4242 (user "app", application "psql", idle in transaction for 12 s): SELECT ...</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (UserName is not null)
        {
            parts.Add($"user \"{UserName}\"");
        }

        parts.Add(ApplicationName is null ? "no application_name" : $"application \"{ApplicationName}\"");
        if (State is not null)
        {
            parts.Add(TransactionAge is { } age ? $"{State} for {age.TotalSeconds:0.#} s" : State);
        }

        return $"pid {ProcessId} ({string.Join(", ", parts)})" + (Query is null ? string.Empty : $": {Query}");
    }
}
