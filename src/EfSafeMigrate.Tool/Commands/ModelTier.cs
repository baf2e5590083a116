using EfSafeMigrate.Consistency;
using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Integrity;

namespace EfSafeMigrate.Tool.Commands;

/// <summary>
/// <c>check --build</c>'s model tier for one DbContext: the baseline of its context in
/// <c>safe-migrate.sum</c> (<c>hash --baseline</c>) limits the per-migration check to the migrations
/// after it, and results are reused from <see cref="ModelCheckCache"/> by the migrations' checksums.
/// </summary>
public static class ModelTier
{
    /// <summary>Runs <see cref="ModelConsistencyChecker"/> for the session's context and says what it skipped.</summary>
    public static IReadOnlyList<Finding> Run(ProjectSession session, MigrationFiles files, IReadOnlyDictionary<string, IReadOnlyList<string>> parents)
    {
        var contextName = session.Context.GetType().Name;
        var baseline = Baseline(files, contextName);
        var cache = ModelCheckCache.Open(files.Repository?.GitFolder, session.ProjectDir);
        var checker = new ModelConsistencyChecker(session.Migrator, parents, new ModelCheckScope(baseline, MigrationSourceHashes.Of(files), cache));
        var findings = checker.Check();
        cache.Save();
        if (checker.Statistics is { } stats)
        {
            session.Reporter.Info(
                $"Model check of {contextName}: {stats.Checked} migration(s) compared with their target models" +
                (baseline is null ? string.Empty : $", {stats.BeforeBaseline} accepted by the baseline '{baseline}'") +
                (stats.FromCache == 0 ? string.Empty : $", {stats.FromCache} unchanged since they passed (cache)") + ".");
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
