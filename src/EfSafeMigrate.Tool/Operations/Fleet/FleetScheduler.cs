namespace EfSafeMigrate.Tool.Operations.Fleet;

/// <summary>
/// In which order and how many at a time a fleet's databases run. The first <c>canary</c> databases run first (at
/// most <c>parallel</c> at a time); when any of them fails, no other database is started (whatever
/// <c>continueOnFailure</c> says). Then the others run, at most <c>parallel</c> at a time, started in the list's order.
/// With <c>continueOnFailure</c> false (<c>--stop-on-failure</c>, the default), a failure stops further databases
/// from starting; those already running finish. A cancelled token starts no further database either. A database
/// that was not started is <see cref="FleetDatabaseStatus.Skipped"/>. Knows nothing of databases: the caller's
/// delegate migrates one and reports its outcome (it must not throw).
/// </summary>
internal sealed class FleetScheduler
{
    private readonly int _parallel;
    private readonly int _canary;
    private readonly bool _continueOnFailure;
    private int _stopped;

    /// <summary>Creates a scheduler.</summary>
    /// <param name="parallel">How many databases at most run at the same time (1 or more).</param>
    /// <param name="canary">How many databases, from the start of the list, run before the others (0: none).</param>
    /// <param name="continueOnFailure">True (<c>--continue</c>): a failure does not stop other databases from starting, except a canary's.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parallel"/> is below 1 or <paramref name="canary"/> below 0.</exception>
    public FleetScheduler(int parallel, int canary, bool continueOnFailure)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(canary);
        _parallel = parallel;
        _canary = canary;
        _continueOnFailure = continueOnFailure;
    }

    /// <summary>Runs the databases and returns their outcomes, in the list's order.</summary>
    /// <param name="databases">The databases, in the list's order.</param>
    /// <param name="runOne">Migrates one database; called on a thread-pool thread; must return a result rather than throw.</param>
    /// <param name="stop">When cancelled, no further database starts (SIGINT/SIGTERM).</param>
    public async Task<FleetOutcome> RunAsync(IReadOnlyList<FleetEntry> databases, Func<FleetEntry, Task<FleetDatabaseResult>> runOne, CancellationToken stop)
    {
        var results = new FleetDatabaseResult[databases.Count];
        var canaries = Math.Min(_canary, databases.Count);
        await RunBatchAsync(databases, 0, canaries, results, runOne, stop);
        var canaryFailed = results.Take(canaries).Any(r => r.Status == FleetDatabaseStatus.Failed);
        if (canaryFailed)
        {
            for (var i = canaries; i < databases.Count; i++)
            {
                results[i] = FleetDatabaseResult.NotStarted(databases[i]);
            }
        }
        else
        {
            await RunBatchAsync(databases, canaries, databases.Count, results, runOne, stop);
        }

        return new FleetOutcome(results, canaryFailed);
    }

    private async Task RunBatchAsync(IReadOnlyList<FleetEntry> databases, int from, int to, FleetDatabaseResult[] results,
        Func<FleetEntry, Task<FleetDatabaseResult>> runOne, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(_parallel);
        var running = new List<Task>();
        for (var i = from; i < to; i++)
        {
            await slots.WaitAsync(CancellationToken.None);
            var index = i;
            if (Volatile.Read(ref _stopped) != 0 || stop.IsCancellationRequested)
            {
                results[index] = FleetDatabaseResult.NotStarted(databases[index]);
                slots.Release();
                continue;
            }

            running.Add(Task.Run(async () =>
            {
                try
                {
                    var result = await runOne(databases[index]);
                    results[index] = result;
                    if (result.Status == FleetDatabaseStatus.Failed && !_continueOnFailure)
                    {
                        Volatile.Write(ref _stopped, 1);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
    }
}
