using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// Remembers the per-migration model check (SM303) results, and the snapshot check's (SM302), so a warm
/// <c>check --build</c> does not build the target models of unchanged migrations again. Keys are opaque strings that change whenever
/// anything the result depends on changes (the files of the migration and of its parents, or the snapshot's and all
/// migrations' for SM302; EF Core's, the provider's and this library's versions, the context type), so a stored result is never stale. Implementations must not throw on I/O
/// failures (a cache only).
/// </summary>
internal interface IModelCheckCache
{
    /// <summary>True when a result is stored under <paramref name="key"/>; <paramref name="finding"/> is null when the migration passed.</summary>
    bool TryGet(string key, out Finding? finding);

    /// <summary>Stores a result: the finding, or null when the migration passed.</summary>
    void Record(string key, Finding? finding);
}

/// <summary>Which migrations the model tier checks one by one (SM303), and what it may reuse.</summary>
/// <param name="Baseline">
/// The last migration accepted as it is (the <c>baseline</c> line of <c>safe-migrate.sum</c>): migrations
/// whose ids sort ordinally at or before it are not checked one by one; null checks all.
/// </param>
/// <param name="Checksums">The hash of each migration's files by id (as <c>safe-migrate.sum</c> records it), for cache keys; null disables the cache.</param>
/// <param name="Cache">Results of earlier runs, or null.</param>
/// <param name="AlsoCheck">Migrations checked even at or before the baseline (those changed since <c>--against REF</c>); null for none.</param>
/// <param name="SnapshotChecksum">
/// A hash of the context's model snapshot file(s), for the cache key of the snapshot check (SM302, which also includes every
/// migration's checksum); null leaves that check uncached.
/// </param>
internal sealed record ModelCheckScope(string? Baseline = null, IReadOnlyDictionary<string, string>? Checksums = null, IModelCheckCache? Cache = null, IReadOnlySet<string>? AlsoCheck = null, string? SnapshotChecksum = null);

/// <summary>What the per-migration model check did in one run.</summary>
/// <param name="Checked">Migrations whose operations were compared with their models in this run.</param>
/// <param name="BeforeBaseline">Migrations skipped because they are at or before the baseline.</param>
/// <param name="FromCache">Migrations whose result was reused because the same files were checked before.</param>
/// <param name="SnapshotFromCache">Whether the snapshot check's (SM302) result was reused (same snapshot and migrations).</param>
/// <param name="PendingModelChangesTime">Time of the pending model changes check (SM301): the code model and the snapshot's built and compared.</param>
/// <param name="SnapshotTime">Time of the snapshot check (SM302): the newest target model built and compared, or the cache read.</param>
/// <param name="PerMigrationTime">Time of the per-migration check (SM303), cache reads included.</param>
internal sealed record ModelCheckStatistics(int Checked, int BeforeBaseline, int FromCache, bool SnapshotFromCache, TimeSpan PendingModelChangesTime, TimeSpan SnapshotTime, TimeSpan PerMigrationTime);
