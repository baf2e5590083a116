using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>check --build</c>'s model tier for one DbContext: the baseline of its context in
/// <c>safe-migrate.sum</c> (<c>hash --baseline</c>) limits the per-migration check to the migrations
/// after it (and, with <c>--against REF</c>, the migrations whose files changed since the merge base),
/// and results are reused from <see cref="ModelCheckCache"/> by the migrations' checksums.
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
        var cache = ModelCheckCache.Open(files.Repository?.GitFolder, session.ProjectDir);
        var checksums = MigrationSourceHashes.Of(files);
        IReadOnlySet<string>? changed = null;
        if (baseline is not null && againstRef is not null)
        {
            var mergeBase = files.RequireRepository("--against").MergeBase("HEAD", againstRef);
            var before = files.FromCommit(mergeBase).Scan().Migrations.Where(m => m.Id is not null).DistinctBy(m => m.Id).ToDictionary(m => m.Id!, m => m.Hash, StringComparer.Ordinal);
            changed = checksums.Where(c => !before.TryGetValue(c.Key, out var hash) || hash != c.Value).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        }

        var checker = new ModelConsistencyChecker(session.Migrator, parents, new ModelCheckScope(baseline, checksums, cache, changed));
        var findings = checker.Check();
        cache.Save();
        if (checker.Statistics is { } stats)
        {
            session.Reporter.Info(
                $"Model check of {contextName}: {stats.Checked} migration(s) compared with their target models" +
                (baseline is null ? string.Empty : $", {stats.BeforeBaseline} accepted by the baseline '{baseline}'") +
                (stats.FromCache == 0 ? string.Empty : $", {stats.FromCache} unchanged since they were last checked (cached result)") + ".");
        }

        return findings;
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
