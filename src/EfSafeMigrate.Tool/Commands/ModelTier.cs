using System.Security.Cryptography;
using System.Text;
using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;
using EfSafeMigrate.Tool.Operations;
using EfSafeMigrate.Tool.Output;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>check --build</c>'s model tier for one DbContext: the baseline of its context in
/// <c>safe-migrate.sum</c> (<c>hash --baseline</c>) limits the per-migration check to the migrations
/// after it (and, with <c>--against REF</c>, the migrations whose files changed since the merge base),
/// and results are reused from <see cref="ModelCheckCache"/> (the migrations project's <c>obj/</c>) by the migrations' and the
/// snapshot's checksums, unless a source file is newer than the built assembly.
/// </summary>
internal static class ModelTier
{
    /// <summary>Runs <see cref="ModelConsistencyChecker"/> for the session's context and says what it skipped.</summary>
    /// <param name="session">The loaded project.</param>
    /// <param name="files">Its files.</param>
    /// <param name="parents">Recorded parents by migration id.</param>
    /// <param name="againstRef">With a baseline: migrations at or before it whose files differ from the merge base with this ref (or are not there) are checked too; null for none.</param>
    public static IReadOnlyList<Finding> Run(ProjectSession session, MigrationFiles files, IReadOnlyDictionary<string, IReadOnlyList<string>> parents, string? againstRef = null)
    {
        var contextName = session.Context.GetType().Name;
        var baseline = Baseline(files, contextName);
        var cache = OpenCache(session);
        var checksums = MigrationSourceHashes.Of(files);
        IReadOnlySet<string>? changed = null;
        if (baseline is not null && againstRef is not null)
        {
            var mergeBase = files.RequireRepository("--against").MergeBase("HEAD", againstRef);
            var before = files.FromCommit(mergeBase).Scan().Migrations.Where(m => m.Id is not null).DistinctBy(m => m.Id).ToDictionary(m => m.Id!, m => m.Hash, StringComparer.Ordinal);
            changed = checksums.Where(c => !before.TryGetValue(c.Key, out var hash) || hash != c.Value).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        }

        var checker = new ModelConsistencyChecker(session.Migrator, parents, new ModelCheckScope(baseline, checksums, cache, changed, SnapshotChecksum(files, contextName)));
        var findings = checker.Check();
        cache?.Save();
        if (checker.Statistics is { } stats)
        {
            session.Reporter.Info(
                $"Model check of {contextName}: {stats.Checked} migration(s) compared with their target models" +
                (baseline is null ? string.Empty : $", {stats.BeforeBaseline} accepted by the baseline '{baseline}'") +
                (stats.FromCache == 0 ? string.Empty : $", {stats.FromCache} unchanged since they were last checked (cached result)") + ".");
            session.Reporter.Detail(
                $"Model check times: pending model changes {HumanFormat.Duration(stats.PendingModelChangesTime)}, " +
                $"snapshot against the newest target model {HumanFormat.Duration(stats.SnapshotTime)}{(stats.SnapshotFromCache ? " (cached result)" : string.Empty)}, " +
                $"per migration {HumanFormat.Duration(stats.PerMigrationTime)}{(cache is null ? string.Empty : $" (cache: {cache.FilePath})")}.");
        }

        return findings;
    }

    // The project's cache, unless a source file is newer than the built migrations assembly (--no-build after an edit): the
    // results would be the old build's, filed under the new sources' checksums.
    private static ModelCheckCache? OpenCache(ProjectSession session)
    {
        var assembly = session.Context.GetService<IMigrationsAssembly>().Assembly.Location;
        if (CompiledMigrationsOption.NewerSource(session.ProjectDir, assembly) is { } newer)
        {
            session.Reporter.Detail($"Model check cache not used: '{newer}' is newer than the built assembly '{Path.GetFileName(assembly)}' (build the project, or leave out --no-build).");
            return null;
        }

        return ModelCheckCache.Open(session.ProjectDir);
    }

    // A hash of the context's model snapshot file(s) in the working tree, for the snapshot check's cache key; null when there is none.
    private static string? SnapshotChecksum(MigrationFiles files, string contextName)
    {
        var paths = files.FromWorkingTree().Scan().Snapshots
            .Where(s => s.Context is null || s.Context == contextName)
            .Select(s => s.Path).Order(StringComparer.Ordinal).ToList();
        if (paths.Count == 0)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in paths)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            hash.AppendData(File.ReadAllBytes(files.FullPath(path)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The baseline of a context (short name) from the integrity files, or null when none names it.</summary>
    private static string? Baseline(MigrationFiles files, string contextName)
    {
        string? baseline = null;
        foreach (var folder in MigrationFolder.From(files.FromWorkingTree()).Where(f => f.SumText is not null))
        {
            try
            {
                if (SumFile.ParseMergingConflicts(folder.SumText!).BaselineOf(contextName) is { } line
                    && (baseline is null || string.CompareOrdinal(line.Id, baseline) > 0))
                {
                    baseline = line.Id;
                }
            }
            catch (SumFileFormatException)
            {
                // reported by the fast checks
            }
        }

        return baseline;
    }
}
