using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>One set of files as the fast checks see it: per-file scans of the C# files that may hold migrations, and the integrity files.</summary>
/// <param name="Files">Scans of C# files that mention migrations or snapshots.</param>
/// <param name="SumFiles">The <c>safe-migrate.sum</c> files, with their text.</param>
internal sealed record ScannedFiles(IReadOnlyList<FileScan> Files, IReadOnlyList<SourceFile> SumFiles)
{
    /// <summary>The migrations and snapshots of these files.</summary>
    public MigrationScan Scan() => MigrationSourceScanner.Scan(Files);
}
