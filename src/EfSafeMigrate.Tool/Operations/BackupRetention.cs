using System.Globalization;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Tool.Configuration;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// Retention after a successful apply: <c>backup.keep</c> and <c>backup.olderThanDays</c> (file or
/// <c>SAFE_MIGRATE_BACKUP_KEEP</c> / <c>SAFE_MIGRATE_BACKUP_OLDER_THAN_DAYS</c>) prune the backups of the database
/// just migrated the way <c>backup prune --keep N [--older-than DAYS]</c> does (<see cref="BackupCatalog.Prune"/>), and
/// the result is reported in one line. With neither set nothing is deleted.
/// </summary>
internal static class BackupRetention
{
    /// <summary>Prunes <paramref name="folder"/> for <paramref name="database"/> as the configuration says, reporting one line.</summary>
    /// <returns>The deleted backups (empty when retention is off or nothing was old enough).</returns>
    /// <remarks>A backup that cannot be deleted is a warning: the apply itself succeeded.</remarks>
    public static IReadOnlyList<BackupEntry> Apply(Reporter reporter, EffectiveConfiguration configuration, string folder, string database)
    {
        var keepSetting = configuration[SettingDefinition.BackupKeep];
        var ageSetting = configuration[SettingDefinition.BackupOlderThanDays];
        if (keepSetting.Value is null && ageSetting.Value is null)
        {
            return [];
        }

        var keep = keepSetting.Value is null ? 0 : int.Parse(keepSetting.Value, CultureInfo.InvariantCulture);
        TimeSpan? olderThan = ageSetting.Value is null ? null : TimeSpan.FromDays(double.Parse(ageSetting.Value, CultureInfo.InvariantCulture));
        var rule = string.Join(" and ", new[]
        {
            keepSetting.Value is null ? null : $"keep {keep} ({keepSetting.Source.Describe()})",
            olderThan is null ? null : $"older than {ageSetting.Value} day(s) ({ageSetting.Source.Describe()})",
        }.Where(p => p is not null));
        try
        {
            var deleted = new BackupCatalog().Prune(folder, keep, olderThan, database);
            reporter.Info(deleted.Count == 0
                ? $"Retention ({rule}): no backup of \"{database}\" to delete in {folder}."
                : $"Retention ({rule}): deleted {deleted.Count} older backup(s) of \"{database}\" from {folder}: {string.Join(", ", deleted.Select(d => Path.GetFileName(d.Path)))}.");
            return deleted;
        }
        catch (BackupException failure)
        {
            reporter.Warning($"Retention ({rule}) could not delete every old backup in {folder}: {failure.Message} Run 'dotnet safe-migrate backup prune --keep {keep}' once it is fixed.");
            return [];
        }
    }
}
