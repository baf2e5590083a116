using EfSafeMigrate.Backups;
using EfSafeMigrate.Npgsql.Backups;
using EfSafeMigrate.Tool.Commands;
using EfSafeMigrate.Tool.Output;
using EfSafeMigrate.Tool.Output.Progress;
using Spectre.Console;

namespace EfSafeMigrate.Tool.Operations;

/// <summary>
/// <c>backup create | list | verify FILE | restore FILE --into DATABASE | prune</c>: what the subcommands do
/// with the backup catalogue (<see cref="BackupCatalog"/>) and the database's backup provider. Restoring over
/// the project's database is <see cref="RestoreRun"/>; <c>backup cleanup</c> is <see cref="BackupCleanup"/>.
/// </summary>
internal static class BackupOperations
{
    /// <summary>Writes a verified backup of the session's database now, named after its newest applied migration.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="folder">The backup folder.</param>
    /// <param name="provider">The provider of the chosen backup strategy (<c>--backup-strategy</c>).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="BackupException">The backup failed (exit code 4).</exception>
    public static async Task<int> CreateAsync(ProjectSession session, string folder, IBackupProvider provider)
    {
        // Connect first: a database that cannot be reached is a configuration error (exit 2), not a failed backup.
        var head = session.CurrentMigration();
        await provider.CheckAvailableAsync();
        BackupEntry entry;
        using (var live = LiveProgress.Start(session.Reporter))
        {
            BackupProgressView.Attach(provider, live, $"Backing up {session.Database.Describe()}", "Restoring");
            entry = await provider.CreateAsync(folder, head);
        }

        session.Reporter.Info(entry.Manifest.PgBackRest is { } pgbr
            ? $"pgBackRest {pgbr.Type} backup {pgbr.Label} of stanza '{pgbr.Stanza}' written and verified; recorded in {entry.ManifestPath}."
            : entry.Manifest.RestorePoint is { } point
            ? $"Restore point '{point.Name}' made at LSN {point.Lsn} (timeline {point.Timeline}) and its WAL file {point.WalFile} archived; recorded in {entry.ManifestPath}."
            : $"Backup written and verified: {entry.Path} ({HumanFormat.Bytes(entry.Manifest.SizeBytes)}).");
        WriteEntry(session.Reporter, entry);
        return ExitCodes.Success;
    }

    /// <summary>Lists the backups in <paramref name="folder"/>, newest first, as a table or JSON.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="folder">The backup folder.</param>
    /// <param name="connection">The <c>--connection</c> option, or null (to warn about restore leftovers of the listed databases).</param>
    /// <returns>The exit code.</returns>
    public static int List(Reporter reporter, string folder, string? connection)
    {
        var scan = new BackupCatalog().Scan(folder);
        foreach (var unreadable in scan.Unreadable)
        {
            reporter.Warning($"{unreadable.Path}: {unreadable.Reason}");
        }

        RestoreLeftoverCheck.WarnForBackupList(reporter, connection, scan.Entries.Select(e => e.Manifest.Database));

        if (reporter.Json)
        {
            reporter.JsonDocument(new BackupListResult(Path.GetFullPath(folder), scan.Entries.Select(BackupResult.From).ToList()));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Backup", "Strategy", "Database", "Head migration", "Size", "Created (UTC)");
        foreach (var entry in scan.Entries)
        {
            var m = entry.Manifest;
            var size = m.RestorePoint is { } point ? $"LSN {point.Lsn}" : m.PgBackRest is { } pgbr ? pgbr.Label : HumanFormat.Bytes(m.SizeBytes);
            table.AddRow(Markup.Escape(m.File), BackupStrategies.ForFormat(m.Format), Markup.Escape(m.Database), Markup.Escape(m.HeadMigration ?? "(none)"), Markup.Escape(size), m.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss"));
        }

        reporter.Data(table);
        reporter.Info($"{scan.Entries.Count} backup(s) in {folder}.");
        return ExitCodes.Success;
    }

    /// <summary>Checks a backup: size and SHA-256 against its sidecar, and <c>pg_restore</c> reads the whole archive.</summary>
    /// <param name="reporter">Output.</param>
    /// <param name="file">The archive (<c>.dump</c>), as given.</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">A mismatch, or a missing or unreadable archive or sidecar (exit code 1); no file named (exit code 2).</exception>
    public static async Task<int> VerifyAsync(Reporter reporter, string? file)
    {
        BackupEntry entry;
        try
        {
            entry = Open(file);
        }
        catch (BackupException ex)
        {
            // A missing archive, or a missing or garbage sidecar: the backup cannot be verified, which is what exit 1 means here.
            throw new CommandException(ExitCodes.ProblemsFound, ex.Message + " The backup cannot be verified.", ex);
        }

        try
        {
            // Verification reads only the archive (or the restore point's record): no server, no connection string.
            if (entry.Manifest.Format == BackupStrategies.RestorePointFormat)
            {
                PgRestorePointProvider.Check(entry);
            }
            else if (entry.Manifest.Format == BackupStrategies.PgBackRestFormat)
            {
                await PgBackRestProvider.VerifyBackupAsync(entry);
            }
            else
            {
                await new PgArchiveVerifier(new PgTools()).VerifyAsync(entry);
            }
        }
        catch (BackupException ex)
        {
            throw new CommandException(ExitCodes.ProblemsFound, ex.Message, ex);
        }

        if (entry.Manifest.RestorePoint is { } point)
        {
            reporter.Success($"Verified the record of restore point '{point.Name}' (LSN {point.Lsn}, timeline {point.Timeline}, WAL file {point.WalFile}): {entry.ManifestPath}.");
            reporter.Info("Its data is the server's WAL archive, which safe-migrate does not read: check that the archive still holds " +
                          $"{point.WalFile} and the WAL before it back to a base backup (with the archive's own tools, e.g. pgbackrest verify, or by listing the archive).");
        }
        else if (entry.Manifest.PgBackRest is { } pgbr)
        {
            reporter.Success($"Verified pgBackRest backup {pgbr.Label} of stanza '{pgbr.Stanza}' (pgbackrest info and verify): {entry.ManifestPath}.");
        }
        else
        {
            reporter.Success($"Verified: {entry.Path} ({HumanFormat.Bytes(entry.Manifest.SizeBytes)}, SHA-256 {entry.Manifest.Sha256}).");
        }
        if (reporter.Json)
        {
            WriteEntry(reporter, entry);
        }

        return ExitCodes.Success;
    }

    /// <summary>Restores a backup into a new database (which must not exist) on the session's server.</summary>
    /// <param name="session">The opened project.</param>
    /// <param name="file">The archive (<c>.dump</c>), as given.</param>
    /// <param name="database">The new database's name.</param>
    /// <param name="jobs">pg_restore's parallel jobs (<c>--jobs</c>).</param>
    /// <returns>The exit code.</returns>
    /// <exception cref="CommandException">The backup is a restore point (exit code 4, with the recovery procedure; nothing changed).</exception>
    public static async Task<int> RestoreIntoAsync(ProjectSession session, string? file, string database, int jobs)
    {
        var entry = Open(file);
        RestorePointRefusal.ThrowIfRestorePoint(entry);
        session.Reporter.Info($"Restoring {entry.Path} into the new database \"{database}\" ...");
        using (var live = LiveProgress.Start(session.Reporter))
        {
            var provider = BackupProgressView.Attach(session.Database.CreateBackupProvider(restoreJobs: jobs), live, "Backing up", $"Restoring {Path.GetFileName(entry.Path)} into \"{database}\"");
            await provider.RestoreAsync(entry, database);
        }

        session.Reporter.Success($"Restored into database \"{database}\" (at {entry.Manifest.HeadMigration ?? "no migration"}).");
        if (session.Reporter.Json)
        {
            session.Reporter.JsonDocument(new RestoreResult(database, entry.Path, null, entry.Manifest.HeadMigration));
        }

        return ExitCodes.Success;
    }

    /// <summary>
    /// Deletes old backups, per database: all but the newest <paramref name="keep"/>, only those older than
    /// <paramref name="olderThan"/> when given; also partial archives left by a backup that did not finish
    /// (one being written is held open by its backup and kept).
    /// </summary>
    /// <param name="reporter">Output.</param>
    /// <param name="folder">The backup folder.</param>
    /// <param name="keep">How many backups to keep per database.</param>
    /// <param name="olderThan">Only delete backups older than this, or null.</param>
    /// <returns>The exit code.</returns>
    public static int Prune(Reporter reporter, string folder, int keep, TimeSpan? olderThan)
    {
        var catalog = new BackupCatalog();
        var deleted = catalog.List(folder).Select(e => e.Manifest.Database).Distinct(StringComparer.Ordinal)
            .SelectMany(database => catalog.Prune(folder, keep, olderThan, database))
            .ToList();
        foreach (var entry in deleted)
        {
            reporter.Info($"Deleted {entry.Path}");
        }

        var (partials, held) = catalog.PrunePartials(folder);
        foreach (var partial in partials)
        {
            reporter.Info($"Deleted {partial} (left by a backup that did not finish)");
        }

        foreach (var partial in held)
        {
            reporter.Info($"Kept {partial}: a backup is writing it now.");
        }

        reporter.Success($"{deleted.Count} backup(s) deleted from {folder}.");
        if (reporter.Json)
        {
            reporter.JsonDocument(new BackupPruneResult(Path.GetFullPath(folder), deleted.Select(e => e.Path).ToList(), partials, held));
        }

        return ExitCodes.Success;
    }

    /// <summary>The catalogue entry of an archive given on the command line.</summary>
    /// <param name="file">The archive (<c>.dump</c>), relative to the current folder.</param>
    /// <exception cref="CommandException">No file named (exit code 2).</exception>
    /// <exception cref="BackupException">The archive or its sidecar is missing or unreadable.</exception>
    public static BackupEntry Open(string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            throw new CommandException(ExitCodes.UsageError, "Name the backup (a .dump file, a .dir folder or a .restore-point record). 'dotnet safe-migrate backup list' lists them.");
        }

        return new BackupCatalog().Open(Path.GetFullPath(file));
    }

    private static void WriteEntry(Reporter reporter, BackupEntry entry)
    {
        if (reporter.Json)
        {
            reporter.JsonDocument(BackupResult.From(entry));
        }
        else
        {
            reporter.Text(entry.Path + Environment.NewLine);
        }
    }
}
