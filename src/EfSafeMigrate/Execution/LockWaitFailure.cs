using EfSafeMigrate.Locking;

namespace EfSafeMigrate.Execution;

/// <summary>
/// Why a migration gave up on a lock: it failed on the lock timeout in each of its attempts
/// (each rolled back entirely), and who blocked it in the last one.
/// </summary>
/// <param name="Attempts">How many times the migration was tried (1 + retries).</param>
/// <param name="LockTimeout">The lock timeout of each attempt.</param>
/// <param name="Blockers">The sessions that blocked the last attempt, by process id (empty when none was seen in time).</param>
/// <param name="WaitingFor">The lock the last attempt waited for, or null when not seen.</param>
internal sealed record LockWaitFailure(int Attempts, TimeSpan LockTimeout, IReadOnlyList<BlockingSession> Blockers, string? WaitingFor);
