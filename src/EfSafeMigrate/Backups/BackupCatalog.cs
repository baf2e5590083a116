namespace EfSafeMigrate.Backups;

/// <summary>
/// The backups in a folder: archives named by <see cref="BackupFileNames"/>, each described by its
/// JSON sidecar. Lists, opens and prunes them; writing them is the <see cref="IBackupProvider"/>'s job.
/// Only the folder itself is searched, not its subfolders.
/// </summary>
internal sealed class BackupCatalog
{
    private readonly TimeProvider _time;

    /// <summary>Creates a catalog.</summary>
    /// <param name="timeProvider">Clock for <see cref="Prune"/>'s age limit; the system clock when <c>null</c>.</param>
    public BackupCatalog(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The backups in <paramref name="folder"/> that have a readable sidecar, newest first.</summary>
    /// <returns>Empty when the folder does not exist.</returns>
    /// <exception cref="BackupException">The folder cannot be read.</exception>
    public IReadOnlyList<BackupEntry> List(string folder) => Scan(folder).Entries;

    /// <summary>
    /// Everything backup-like in <paramref name="folder"/>: usable backups (archive and readable sidecar) of every
    /// strategy (<c>.dump</c> files, <c>.dir</c> folders of <c>pg_dump --format=directory</c>, and <c>.restore-point.json</c>
    /// and <c>.pgbackrest.json</c> sidecars, which are the whole entry of a restore point or a pgBackRest backup), and, separately, what cannot be used — archives whose
    /// sidecar is missing or malformed, sidecars whose archive is missing, and <c>.partial</c> archives (files or folders)
    /// left by a backup that is running or did not finish.
    /// </summary>
    /// <returns>Both lists empty when the folder does not exist.</returns>
    /// <exception cref="BackupException">The folder cannot be read.</exception>
    public BackupCatalogScan Scan(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return new BackupCatalogScan([], []);
        }

        string[] files, folders;
        try
        {
            files = Directory.GetFiles(full);
            folders = Directory.GetDirectories(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"The backup folder '{full}' cannot be read: {ex.Message}", ex);
        }
        Array.Sort(files, StringComparer.Ordinal);
        Array.Sort(folders, StringComparer.Ordinal);
        var present = new HashSet<string>(files, StringComparer.Ordinal);
        var presentFolders = new HashSet<string>(folders, StringComparer.Ordinal);

        var entries = new List<BackupEntry>();
        var unreadable = new List<UnreadableBackup>();
        foreach (var archive in files.Where(f => f.EndsWith(BackupFileNames.ArchiveExtension, StringComparison.Ordinal))
                     .Concat(folders.Where(f => f.EndsWith(BackupFileNames.DirectoryExtension, StringComparison.Ordinal))))
        {
            var manifestPath = BackupFileNames.ManifestPathFor(archive);
            if (!present.Contains(manifestPath))
            {
                unreadable.Add(new UnreadableBackup(archive, $"The backup archive '{archive}' has no sidecar '{manifestPath}'; it cannot be verified or restored safely."));
                continue;
            }
            try
            {
                entries.Add(new BackupEntry(archive, BackupManifestSerializer.Read(manifestPath)));
            }
            catch (BackupException ex)
            {
                unreadable.Add(new UnreadableBackup(archive, ex.Message));
            }
        }

        foreach (var file in files)
        {
            if (BackupFileNames.RecordOnlyExtensions.Any(e => file.EndsWith(e + BackupFileNames.ManifestSuffix, StringComparison.Ordinal)))
            {
                try
                {
                    entries.Add(new BackupEntry(file[..^BackupFileNames.ManifestSuffix.Length], BackupManifestSerializer.Read(file)));
                }
                catch (BackupException ex)
                {
                    unreadable.Add(new UnreadableBackup(file, ex.Message));
                }
            }
            else if (file.EndsWith(BackupFileNames.ArchiveExtension + BackupFileNames.ManifestSuffix, StringComparison.Ordinal)
                     || file.EndsWith(BackupFileNames.DirectoryExtension + BackupFileNames.ManifestSuffix, StringComparison.Ordinal))
            {
                var archive = file[..^BackupFileNames.ManifestSuffix.Length];
                if (!present.Contains(archive) && !presentFolders.Contains(archive))
                {
                    unreadable.Add(new UnreadableBackup(file, $"The backup sidecar '{file}' has no archive '{archive}'."));
                }
            }
            else if (file.EndsWith(BackupFileNames.ArchiveExtension + BackupFileNames.PartialSuffix, StringComparison.Ordinal))
            {
                unreadable.Add(new UnreadableBackup(file, $"'{file}' is an incomplete archive: a backup is being written, or one did not finish (then delete the file)."));
            }
        }

        foreach (var partial in folders.Where(f => f.EndsWith(BackupFileNames.DirectoryExtension + BackupFileNames.PartialSuffix, StringComparison.Ordinal)))
        {
            unreadable.Add(new UnreadableBackup(partial, $"'{partial}' is an incomplete archive folder: a parallel backup is being written, or one did not finish (then delete the folder)."));
        }

        return new BackupCatalogScan(SortNewestFirst(entries), unreadable);
    }

    /// <summary>
    /// Opens one backup by its archive path (a <c>.dump</c> file, a <c>.dir</c> folder, a <c>.restore-point</c> entry) or its
    /// sidecar's path, and reads the sidecar.
    /// </summary>
    /// <param name="path">Path of the archive, or of its <c>.json</c> sidecar.</param>
    /// <exception cref="BackupException">The archive or the sidecar is missing or the sidecar is malformed; the message names the file.</exception>
    public BackupEntry Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var archive = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (archive.EndsWith(BackupFileNames.ManifestSuffix, StringComparison.Ordinal)
            && (archive.EndsWith(BackupFileNames.ArchiveExtension + BackupFileNames.ManifestSuffix, StringComparison.Ordinal)
                || archive.EndsWith(BackupFileNames.DirectoryExtension + BackupFileNames.ManifestSuffix, StringComparison.Ordinal)
                || BackupFileNames.RecordOnlyExtensions.Any(e => archive.EndsWith(e + BackupFileNames.ManifestSuffix, StringComparison.Ordinal))))
        {
            archive = archive[..^BackupFileNames.ManifestSuffix.Length];
        }
        var manifestPath = BackupFileNames.ManifestPathFor(archive);
        if (BackupFileNames.RecordOnlyExtensions.Any(e => archive.EndsWith(e, StringComparison.Ordinal)))
        {
            if (!File.Exists(manifestPath))
            {
                throw new BackupException($"The backup record '{manifestPath}' does not exist.");
            }
            return new BackupEntry(archive, BackupManifestSerializer.Read(manifestPath));
        }
        var isFolder = archive.EndsWith(BackupFileNames.DirectoryExtension, StringComparison.Ordinal);
        if (!isFolder && Directory.Exists(archive))
        {
            throw new BackupException($"'{archive}' is a folder, not a backup archive.");
        }
        if (isFolder ? !Directory.Exists(archive) : !File.Exists(archive))
        {
            throw new BackupException($"The backup archive '{archive}' does not exist.");
        }
        if (!File.Exists(manifestPath))
        {
            throw new BackupException($"The backup archive '{archive}' has no sidecar '{manifestPath}'; without it the archive cannot be verified.");
        }
        return new BackupEntry(archive, BackupManifestSerializer.Read(manifestPath));
    }

    /// <summary>
    /// Deletes old backups (archive and sidecar) from <paramref name="folder"/>: all but the newest
    /// <paramref name="keep"/>, and of those only the ones older than <paramref name="olderThan"/> when it is given.
    /// With <paramref name="database"/>, only that database's backups are counted and deleted; without it,
    /// all backups in the folder are counted together. Unreadable backups (see <see cref="Scan"/>) are never deleted.
    /// Only dumps (<c>.dump</c> files and <c>.dir</c> folders, <see cref="BackupStrategies.IsDeletable"/>) are counted and
    /// deleted: a restore point is never deleted (its data is the server's WAL archive, whose retention the DBA owns).
    /// </summary>
    /// <param name="folder">The backup folder; nothing happens when it does not exist.</param>
    /// <param name="keep">How many of the newest backups to keep; 0 or more.</param>
    /// <param name="olderThan">When given, a backup is deleted only if it was created more than this long ago.</param>
    /// <param name="database">When given, only backups of this database (the sidecar's <c>database</c>, exact match).</param>
    /// <returns>The deleted backups, oldest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="keep"/> or <paramref name="olderThan"/> is negative.</exception>
    /// <exception cref="BackupException">A file could not be deleted; the ones deleted before it stay deleted.</exception>
    public IReadOnlyList<BackupEntry> Prune(string folder, int keep, TimeSpan? olderThan, string? database)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        if (olderThan is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(age, TimeSpan.Zero, nameof(olderThan));
        }

        var cutoff = olderThan is { } limit ? _time.GetUtcNow() - limit : (DateTimeOffset?)null;
        var victims = List(folder)
            .Where(e => database is null || string.Equals(e.Manifest.Database, database, StringComparison.Ordinal))
            .Where(e => BackupStrategies.IsDeletable(e.Manifest.Format))
            .Skip(keep)
            .Where(e => cutoff is null || e.Manifest.CreatedUtc < cutoff)
            .Reverse()
            .ToList();

        foreach (var victim in victims)
        {
            if (Directory.Exists(victim.Path))
            {
                DeleteFolder(victim.Path);
            }
            else
            {
                Delete(victim.Path);
            }
            Delete(victim.ManifestPath);
        }
        return victims;
    }

    /// <summary>
    /// Deletes the partial files in <paramref name="folder"/> (<c>*.dump.partial</c> archives and <c>*.dump.json.partial</c>
    /// sidecars) that no process holds: a backup that is being written holds its partial archive open from the moment it
    /// reserves the name until it renames it (<see cref="PrivateFiles.CreateNewHeld"/>), so only files left by a backup that
    /// was killed (or by a version that did not hold them and is not running) are deleted. Relies on <c>flock</c> (local
    /// file systems; not across machines on a network share).
    /// </summary>
    /// <returns>The deleted files and the ones kept because a running backup holds them, each by full path.</returns>
    /// <exception cref="BackupException">The folder cannot be read, or a file could not be deleted.</exception>
    public (IReadOnlyList<string> Deleted, IReadOnlyList<string> Held) PrunePartials(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
        {
            return ([], []);
        }

        string[] files;
        try
        {
            files = Directory.GetFiles(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"The backup folder '{full}' cannot be read: {ex.Message}", ex);
        }
        Array.Sort(files, StringComparer.Ordinal);

        var deleted = new List<string>();
        var held = new List<string>();
        foreach (var file in files.Where(f =>
            f.EndsWith(BackupFileNames.ArchiveExtension + BackupFileNames.PartialSuffix, StringComparison.Ordinal) ||
            f.EndsWith(BackupFileNames.ArchiveExtension + BackupFileNames.ManifestSuffix + BackupFileNames.PartialSuffix, StringComparison.Ordinal)))
        {
            if (PrivateFiles.IsHeld(file))
            {
                held.Add(file);
                continue;
            }
            Delete(file);
            deleted.Add(file);
        }
        return (deleted, held);
    }

    private static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Could not delete the old backup folder '{path}': {ex.Message}", ex);
        }
    }

    private static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"Could not delete the old backup file '{path}': {ex.Message}", ex);
        }
    }

    private static List<BackupEntry> SortNewestFirst(List<BackupEntry> entries)
    {
        entries.Sort((a, b) =>
        {
            var byTime = b.Manifest.CreatedUtc.CompareTo(a.Manifest.CreatedUtc);
            return byTime != 0 ? byTime : string.CompareOrdinal(b.Path, a.Path);
        });
        return entries;
    }
}
