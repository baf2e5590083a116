using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EfSafeMigrate.Execution;
using EfSafeMigrate.Footprint;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Squashing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace EfSafeMigrate.Consistency;

/// <summary>
/// The <c>check --build</c> tier: compares the built model, the model snapshot and the
/// migrations' target models with EF Core's own model differ (<see cref="IMigrationsModelDiffer"/>):
/// pending model changes (as <c>dotnet ef migrations has-pending-model-changes</c>), a snapshot
/// that is not the newest migration's target model (a merge without a merge migration), and
/// migrations whose operations are not the difference between their parent's target model and
/// their own (the later of two forked migrations: its target model lacks the other branch's changes),
/// compared by <see cref="OperationSignature"/> (kind, schema, table, column, type, nullability).
/// The last check runs per migration and builds every target model, which is slow on a long history:
/// a <see cref="ModelCheckScope.Baseline"/> limits it to the migrations after the accepted history, and
/// a <see cref="ModelCheckScope.Cache"/> reuses the results of migrations whose files (and their parents') were checked
/// before, and the snapshot check's while the snapshot and the migrations are unchanged: a warm run builds no target
/// model, only the code model and the snapshot's, as <c>has-pending-model-changes</c> does.
/// </summary>
internal sealed class ModelConsistencyChecker
{
    private readonly SafeMigrator _migrator;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _recordedParents;
    private readonly ModelCheckScope _scope;

    /// <summary>Creates the checker.</summary>
    /// <param name="migrator">The migrator of the built context.</param>
    /// <param name="recordedParents">Parents per migration id from <c>safe-migrate.sum</c>; a migration not listed follows the one before it by id.</param>
    public ModelConsistencyChecker(SafeMigrator migrator, IReadOnlyDictionary<string, IReadOnlyList<string>> recordedParents)
        : this(migrator, recordedParents, new ModelCheckScope())
    {
    }

    /// <summary>Creates the checker with a baseline and a cache.</summary>
    /// <param name="migrator">The migrator of the built context.</param>
    /// <param name="recordedParents">Parents per migration id from <c>safe-migrate.sum</c>; a migration not listed follows the one before it by id.</param>
    /// <param name="scope">The baseline, checksums and cache.</param>
    public ModelConsistencyChecker(SafeMigrator migrator, IReadOnlyDictionary<string, IReadOnlyList<string>> recordedParents, ModelCheckScope scope)
    {
        _migrator = migrator;
        _recordedParents = recordedParents;
        _scope = scope;
    }

    /// <summary>What the last <see cref="Check"/> did per migration (null before it ran).</summary>
    public ModelCheckStatistics? Statistics { get; private set; }

    /// <summary>Runs the checks; findings in order SM301, SM302, SM303 (oldest migration first).</summary>
    public IReadOnlyList<Finding> Check()
    {
        var findings = new List<Finding>();
        var context = _migrator.Context;
        var contextName = context.GetType().Name;
        var clock = Stopwatch.StartNew();
        if (context.GetService<IMigrator>().HasPendingModelChanges())
        {
            findings.Add(new Finding(FindingCodes.PendingModelChanges, FindingSeverity.Error,
                $"The model of {contextName} has changes that no migration captures (the code model differs from the model snapshot).",
                [], null, null, "Add a migration for them: dotnet safe-migrate add <Name>."));
        }

        var pendingTime = clock.Elapsed;
        var differ = context.GetService<IMigrationsModelDiffer>();
        var ids = _migrator.AllMigrations;
        var fingerprint = Fingerprint(context);
        int compared = 0, beforeBaseline = 0, fromCache = 0;
        var snapshotFinding = SnapshotFinding(differ, ids, fingerprint, contextName, out var snapshotFromCache);
        if (snapshotFinding is not null)
        {
            findings.Add(snapshotFinding);
        }

        var snapshotTime = clock.Elapsed - pendingTime;
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (_scope.Baseline is { } baseline && string.CompareOrdinal(id, baseline) <= 0 && _scope.AlsoCheck?.Contains(id) != true)
            {
                beforeBaseline++;
                continue; // accepted history (hash --baseline)
            }

            var parents = ParentsFor(id, i, ids);
            var cacheKey = CacheKey(fingerprint, id, parents);
            if (cacheKey is not null && _scope.Cache!.TryGet(cacheKey, out var cached))
            {
                if (cached is not null)
                {
                    findings.Add(cached);
                }

                fromCache++;
                continue;
            }

            if (parents.Count > 1 || parents.Any(p => !ids.Contains(p)) || _migrator.GetTargetModel(id) is not { } target)
            {
                if (cacheKey is not null)
                {
                    _scope.Cache!.Record(cacheKey, null); // the parents and the designer are in the key: a warm run builds no model for it
                }

                continue; // a merge migration, or no designer: nothing to compare with
            }

            if (ReplacesAttributeLookup.ReplacedIds(_migrator.GetMigration(id).GetType()) is { Count: > 0 } replaced && replaced.All(ids.Contains))
            {
                continue; // a squash beside its originals: SquashProofChecker proves it against them (a squash built from their own operations is not the differ's output)
            }

            var parentModel = parents.Count == 0 ? null : _migrator.GetTargetModel(parents[0]);
            if (parents.Count == 1 && parentModel is null)
            {
                continue;
            }

            var expected = SchemaOperations(differ.GetDifferences(parentModel?.GetRelationalModel(), target.GetRelationalModel()));
            var actual = SchemaOperations(_migrator.GetMigration(id).UpOperations);
            var missing = OperationSignature.Except(expected, actual).Select(OperationSummary.Describe).ToList();
            var unexpected = OperationSignature.Except(actual, expected).Select(OperationSummary.Describe).ToList();
            compared++;
            if (missing.Count == 0 && unexpected.Count == 0)
            {
                if (cacheKey is not null)
                {
                    _scope.Cache!.Record(cacheKey, null);
                }

                continue;
            }

            var parentText = parents.Count == 0 ? "an empty model" : $"the target model of its parent '{parents[0]}'";
            var finding = new Finding(FindingCodes.OperationsDoNotMatchModels, FindingSeverity.Error,
                $"The operations of migration '{id}' are not the difference between {parentText} and its own target model" +
                (missing.Count > 0 ? $"; it lacks: {string.Join(", ", missing.Take(5))}" : string.Empty) +
                (unexpected.Count > 0 ? $"; it also does: {string.Join(", ", unexpected.Take(5))}" : string.Empty) +
                ". It was probably made on another branch from an older model.",
                parents.Count == 0 ? [id] : [parents[0], id], null, null,
                $"Remove it and add it again on top of '{(parents.Count == 0 ? "the current model" : parents[0])}' (dotnet safe-migrate remove, then dotnet safe-migrate add <Name>), if it was not applied to a shared database yet. If it was applied everywhere long ago, accept the history up to now as it is: dotnet safe-migrate hash --baseline (check --build then checks only later migrations).");
            findings.Add(finding);
            if (cacheKey is not null)
            {
                _scope.Cache!.Record(cacheKey, finding);
            }
        }

        Statistics = new ModelCheckStatistics(compared, beforeBaseline, fromCache, snapshotFromCache, pendingTime, snapshotTime, clock.Elapsed - pendingTime - snapshotTime);
        return findings;
    }

    // SM302: the snapshot against the newest migration that has a target model. Cached under the snapshot's checksum and the
    // newest migrations' (those without a designer after it too), so a warm run builds neither model.
    private Finding? SnapshotFinding(IMigrationsModelDiffer differ, IReadOnlyList<string> ids, string fingerprint, string contextName, out bool fromCache)
    {
        string? key = null;
        fromCache = false;
        if (_scope.Cache is not null && _scope.SnapshotChecksum is { } snapshotChecksum && _scope.Checksums is { } checksums && ids.All(checksums.ContainsKey))
        {
            var text = new StringBuilder(fingerprint).Append("\nsnapshot\n").Append(snapshotChecksum);
            foreach (var id in ids)
            {
                text.Append('\n').Append(id).Append('\n').Append(checksums[id]);
            }

            key = Sha256(text.ToString());
            if (_scope.Cache.TryGet(key, out var cached))
            {
                fromCache = true;
                return cached;
            }
        }

        Finding? finding = null;
        var snapshot = _migrator.GetSnapshotModel();
        var newest = snapshot is null ? null : ids.Reverse().FirstOrDefault(id => _migrator.GetTargetModel(id) is not null); // builds only the newest target models
        if (snapshot is not null && newest is not null)
        {
            var differences = differ.GetDifferences(snapshot.GetRelationalModel(), _migrator.GetTargetModel(newest)!.GetRelationalModel());
            if (differences.Count > 0)
            {
                finding = new Finding(FindingCodes.StaleSnapshot, FindingSeverity.Error,
                    $"The model snapshot of {contextName} differs from the target model of the newest migration '{newest}' ({Summarize(differences)}): branches were merged without a merge migration, or the snapshot was edited by hand.",
                    [newest], null, null,
                    "Remove your branch's migration and add it again on top of the other (dotnet safe-migrate remove, then dotnet safe-migrate add <Name>); that regenerates the snapshot and the migration against the merged model.");
            }
        }

        if (key is not null)
        {
            _scope.Cache!.Record(key, finding);
        }

        return finding;
    }

    // What a per-migration result depends on besides the files: EF Core's, the provider's and this library's versions.
    private static string Fingerprint(DbContext context)
        => string.Join("|",
            typeof(IMigrationsModelDiffer).Assembly.GetName().Version,
            context.Database.ProviderName,
            context.GetService<IMigrationsSqlGenerator>().GetType().Assembly.GetName().Version,
            typeof(ModelConsistencyChecker).Assembly.GetName().Version,
            context.GetType().FullName);

    // The migration's files, its parents' files (their target models are the other side of the comparison), the versions.
    private string? CacheKey(string fingerprint, string id, IReadOnlyList<string> parents)
    {
        if (_scope.Cache is null || _scope.Checksums is not { } checksums || !checksums.TryGetValue(id, out var own))
        {
            return null;
        }

        var key = new StringBuilder(fingerprint).Append('\n').Append(id).Append('\n').Append(own);
        foreach (var parent in parents)
        {
            if (!checksums.TryGetValue(parent, out var parentHash))
            {
                return null;
            }

            key.Append('\n').Append(parent).Append('\n').Append(parentHash);
        }

        return Sha256(key.ToString());
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    // A squashed migration holds its whole range: compare it with the model before the range.
    // Others follow their recorded parent, or the migration before them by id.
    private IReadOnlyList<string> ParentsFor(string id, int index, IReadOnlyList<string> ids)
    {
        if (ReplacesAttributeLookup.ReplacedIds(_migrator.GetMigration(id).GetType()) is [var first, ..])
        {
            // The newest migration that sorts before the range (the originals may be deleted already).
            var before = ids.LastOrDefault(other => string.CompareOrdinal(other, first) < 0);
            return before is null ? [] : [before];
        }

        return _recordedParents.TryGetValue(id, out var recorded) ? recorded : index == 0 ? [] : [ids[index - 1]];
    }

    // Compared by signature (kind, schema, table, column, type, nullability): custom SQL is not the differ's.
    private static List<MigrationOperation> SchemaOperations(IEnumerable<MigrationOperation> operations)
        => operations.Where(o => o is not SqlOperation).ToList();

    private static string Summarize(IReadOnlyList<MigrationOperation> differences)
        => string.Join(", ", differences.Take(3).Select(OperationSummary.Describe)) + (differences.Count > 3 ? $", and {differences.Count - 3} more" : string.Empty);
}
