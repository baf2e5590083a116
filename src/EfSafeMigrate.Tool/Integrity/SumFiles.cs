using EfSafeMigrate.Integrity;
using EfSafeMigrate.Tool.Output;

namespace EfSafeMigrate.Tool.Integrity;

/// <summary>
/// The one path by which the tool writes <c>safe-migrate.sum</c> (in the spirit of Atlas's
/// <c>migrate hash</c>): read a migrations folder of the working tree (<see cref="MigrationFolder"/>),
/// build its file from the folder's migrations and the file already there (<see cref="SumFileBuilder"/>:
/// recorded parents are kept, new migrations follow the one before them by id), write it. Used by
/// <c>hash</c> and after <c>add</c>, <c>remove</c>, <c>merge</c>, <c>merge --rebase</c>, <c>squash</c>
/// and <c>squash --finalize</c>; it also deletes the file of a folder that has no migration left.
/// Paths in messages are relative to the current folder. Not thread-safe; one per command run.
/// </summary>
internal sealed class SumFiles
{
    private readonly Reporter _reporter;

    /// <summary>Writes the integrity files of the migrations under <paramref name="files"/>.</summary>
    /// <param name="files">Where the migrations are (the working tree is read).</param>
    /// <param name="reporter">Where to say what was written or deleted.</param>
    public SumFiles(MigrationFiles files, Reporter reporter)
    {
        Files = files;
        _reporter = reporter;
    }

    /// <summary>Where the migrations are.</summary>
    public MigrationFiles Files { get; }

    /// <summary>
    /// (Re)writes the integrity file of every migrations folder that has migrations (<c>hash</c>); a file
    /// whose text would not change is left alone. Says per folder what was written.
    /// </summary>
    /// <param name="baseline">True to record each context's newest migration as its baseline (<c>hash --baseline</c>, <see cref="SumFileBuilder.Build(IReadOnlyList{MigrationSource}, SumFile?, bool)"/>).</param>
    /// <returns>Each folder's file, in folder order (empty when no folder has migrations).</returns>
    /// <exception cref="CommandException">A file could not be written in a form its reader accepts (exit code 1; nothing is written for that folder).</exception>
    public IReadOnlyList<SumFileResult> WriteAll(bool baseline = false)
    {
        var written = new List<SumFileResult>();
        foreach (var folder in Folders().Where(f => f.Migrations.Count > 0))
        {
            var previous = ReadPrevious(folder, tolerateUnreadable: true);
            var (path, sum, changed) = Write(folder, SumFileBuilder.Build(folder.Migrations, previous, baseline));
            written.Add(new SumFileResult(path, changed, sum.Entries.Count, sum.Heads.Select(h => h.Id).ToList(), sum.Baselines.Select(b => b.Id).ToList()));
            _reporter.Info($"{(changed ? "Wrote" : "Up to date:")} {Relative(path)} ({sum.Entries.Count} migration(s); head {string.Join(", ", sum.Heads.Select(h => $"{h.Context} {h.Id}"))}" +
                           $"{(sum.Baselines.Count == 0 ? string.Empty : $"; baseline {string.Join(", ", sum.Baselines.Select(b => $"{b.Context} {b.Id}"))}")}).");
            if (folder.SumText is null && !baseline && sum.Entries.Count > 1)
            {
                _reporter.Info("To accept this existing history as it is (so 'check --build' checks only migrations added from now on), run: dotnet safe-migrate hash --baseline");
            }
        }

        return written;
    }

    /// <summary>
    /// Records <paramref name="migrationId"/> with the given parents in its folder's file (a merge migration
    /// follows both heads; a rebased migration follows the other head), removing <paramref name="replacedId"/>
    /// (the rebased migration's old id) from it; every other migration keeps its recorded parents. A file with
    /// git conflict markers is read with both sides' lines.
    /// </summary>
    /// <param name="contextName">The DbContext's short name, for a migration whose context the scan could not tell.</param>
    /// <param name="migrationId">The migration just written.</param>
    /// <param name="parents">Its parents, in order.</param>
    /// <param name="replacedId">The id it replaces in the file, or null.</param>
    /// <returns>The file's full path, or null when the migration is not found among the folder's sources (nothing written).</returns>
    /// <exception cref="SumFileFormatException">The folder's file cannot be read even with its conflict markers resolved.</exception>
    public string? Record(string contextName, string migrationId, IReadOnlyList<string> parents, string? replacedId = null)
    {
        var folder = FolderOf(migrationId);
        if (folder is null)
        {
            return null;
        }

        var migration = folder.Migrations.First(m => m.Id == migrationId);
        var previous = ReadPrevious(folder, tolerateUnreadable: false);
        var entry = new SumEntry(migration.Context ?? contextName, migrationId, parents, migration.Hash);

        // SumFileBuilder keeps the recorded parents of every migration it finds in the previous file.
        var withEntry = new SumFile([.. (previous?.Entries ?? []).Where(e => e.Id != migrationId && e.Id != replacedId), entry], previous?.Heads ?? [], previous?.Baselines ?? []);
        return Write(folder, SumFileBuilder.Build(folder.Migrations, withEntry)).Path;
    }

    /// <summary>
    /// Rewrites one folder's file from <paramref name="current"/> (the file as read, conflict markers resolved to both
    /// sides) with <paramref name="recovered"/> entries added (<see cref="SumFileRecovery"/>): the folder's migrations
    /// keep their recorded parents, and the head lines follow from them.
    /// </summary>
    /// <param name="folder">The folder, as read from the working tree.</param>
    /// <param name="current">Its file as read.</param>
    /// <param name="recovered">Entries of migrations the file did not record, with the parents another commit recorded.</param>
    /// <returns>The file's full path.</returns>
    public string WriteWith(MigrationFolder folder, SumFile current, IReadOnlyList<SumEntry> recovered)
        => Write(folder, SumFileBuilder.Build(folder.Migrations, new SumFile([.. current.Entries, .. recovered], current.Heads, current.Baselines))).Path;

    /// <summary>
    /// Records a squashed migration after the last migration it replaces, the migration that followed that
    /// one now following it (<see cref="SumFileBuilder.Build(IReadOnlyList{MigrationSource}, SumFile?, string, string)"/>).
    /// An unreadable file is warned about and rebuilt from the id order.
    /// </summary>
    /// <param name="squashedId">The squashed migration.</param>
    /// <param name="lastReplacedId">The last migration it replaces (TO).</param>
    /// <returns>The file's full path and content, or null when the squashed migration is not found among the folder's sources (nothing written).</returns>
    public (string Path, SumFile Sum)? RecordSquash(string squashedId, string lastReplacedId)
    {
        var folder = FolderOf(squashedId);
        if (folder is null)
        {
            return null;
        }

        var previous = ReadPrevious(folder, tolerateUnreadable: true);
        var (path, sum, _) = Write(folder, SumFileBuilder.Build(folder.Migrations, previous, squashedId, lastReplacedId));
        return (path, sum);
    }

    /// <summary>
    /// Deletes the integrity file of each folder that has no migration left (after <c>remove</c> deleted its
    /// last migration, or <c>squash --finalize</c> all of its migrations): <see cref="WriteAll"/> skips empty
    /// folders, so their file would describe nothing. Says what was deleted.
    /// </summary>
    /// <param name="folders">Full paths of the folders that lost migrations.</param>
    public void DeleteOrphaned(IEnumerable<string> folders)
    {
        var scanned = Folders();
        foreach (var full in folders.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            var sumPath = Path.Combine(full, SumFile.FileName);
            if (!File.Exists(sumPath))
            {
                continue;
            }

            var relative = Path.GetRelativePath(Files.Root, full).Replace('\\', '/');
            var remaining = scanned.FirstOrDefault(f => f.Folder == (relative == "." ? string.Empty : relative));
            if (remaining is null || remaining.Migrations.Count == 0)
            {
                File.Delete(sumPath);
                _reporter.Info($"Deleted {Relative(sumPath)}: no migration is left in its folder.");
            }
        }
    }

    private IReadOnlyList<MigrationFolder> Folders() => MigrationFolder.From(Files.FromWorkingTree());

    private MigrationFolder? FolderOf(string migrationId) => Folders().FirstOrDefault(f => f.Migrations.Any(m => m.Id == migrationId));

    // The file as it is, read with both sides of git conflict markers; an unreadable one is warned about (parents then come from the id order) or thrown.
    private SumFile? ReadPrevious(MigrationFolder folder, bool tolerateUnreadable)
    {
        if (folder.SumText is null)
        {
            return null;
        }

        try
        {
            return SumFile.ParseMergingConflicts(folder.SumText);
        }
        catch (SumFileFormatException ex) when (tolerateUnreadable)
        {
            _reporter.Warning($"{IntegrityChecker.SumPath(folder.Folder)} could not be read ({ex.Message}); parents are taken from the id order.");
            return null;
        }
    }

    private (string Path, SumFile Sum, bool Changed) Write(MigrationFolder folder, SumFile sum)
    {
        var path = Files.FullPath(IntegrityChecker.SumPath(folder.Folder));
        string text;
        try
        {
            text = sum.Format(); // reads the text back and throws when it would not give the same lines
        }
        catch (InvalidOperationException ex)
        {
            throw new CommandException(ExitCodes.ProblemsFound, $"{IntegrityChecker.SumPath(folder.Folder)}: {ex.Message}");
        }

        var changed = folder.SumText != text;
        if (changed)
        {
            File.WriteAllText(path, text);
        }

        return (path, sum, changed);
    }

    private static string Relative(string path) => Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
}
