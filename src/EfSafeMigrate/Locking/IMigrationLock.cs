namespace EfSafeMigrate.Locking;

/// <summary>
/// A database-wide lock held across backup and migration, so that two deploys cannot
/// interleave. Provider-specific (PostgreSQL: a session advisory lock on the migrating
/// connection, released when the session ends, even if the process is killed).
/// </summary>
internal interface IMigrationLock
{
    /// <summary>
    /// Takes the lock, waiting up to <paramref name="timeout"/>; calls <paramref name="onWaiting"/>
    /// once with a description of the holder when it has to wait.
    /// </summary>
    /// <returns>A handle; disposing it releases the lock.</returns>
    /// <exception cref="MigrationLockTimeoutException">The lock was not free within the timeout.</exception>
    Task<IAsyncDisposable> AcquireAsync(TimeSpan timeout, Action<string> onWaiting, CancellationToken cancellationToken = default);
}
