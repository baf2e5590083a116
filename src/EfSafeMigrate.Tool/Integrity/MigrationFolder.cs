using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>One migrations folder as read from a set of files: its migrations, snapshots and integrity file.</summary>
/// <param name="Folder">Root-relative folder, <c>/</c>-separated.</param>
/// <param name="Migrations">Its migrations, by id.</param>
/// <param name="Snapshots">Its model snapshots.</param>
/// <param name="SumText">Text of its <c>safe-migrate.sum</c>, or null when there is none.</param>
internal sealed record MigrationFolder(string Folder, IReadOnlyList<MigrationSource> Migrations, IReadOnlyList<ModelSnapshotSource> Snapshots, string? SumText)
{
    /// <summary>Groups scanned files by migrations folder (folders with migrations, a snapshot or an integrity file).</summary>
    public static IReadOnlyList<MigrationFolder> From(ScannedFiles files)
    {
        var scan = files.Scan();
        var sums = files.SumFiles.ToDictionary(f => f.Folder, f => f.Content, StringComparer.Ordinal);
        return scan.Folders.Concat(sums.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(folder => new MigrationFolder(
                folder,
                scan.Migrations.Where(m => m.Folder == folder).ToList(),
                scan.Snapshots.Where(s => s.Path.LastIndexOf('/') is var i && (i < 0 ? string.Empty : s.Path[..i]) == folder).ToList(),
                sums.GetValueOrDefault(folder)))
            .ToList();
    }
}
