using EfSafeMigrate.Integrity;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The hash of each migration's files in a working tree, by migration id — what the journal
/// records at apply time and what <c>check --connection</c> compares with, so the two agree.
/// </summary>
internal static class MigrationSourceHashes
{
    /// <summary>Hashes of the migrations found under <paramref name="folder"/> (first declaration of a duplicated id wins).</summary>
    public static IReadOnlyDictionary<string, string> Read(string folder) => Of(MigrationFiles.For(folder));

    /// <summary>Hashes of the migrations in the working tree of <paramref name="files"/>.</summary>
    public static IReadOnlyDictionary<string, string> Of(MigrationFiles files)
        => files.FromWorkingTree().Scan().Migrations
            .Where(m => m.Id is not null).DistinctBy(m => m.Id)
            .ToDictionary(m => m.Id!, m => m.Hash, StringComparer.Ordinal);
}
