using EfSafeMigrate.Backups;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Checks <c>pg_dump --format=custom</c> archives (files) and <c>--format=directory</c> archives (folders) against their sidecars (<see cref="BackupManifest"/>) with
/// <c>pg_restore</c>, without a server: <c>backup verify</c>, and the check before every restore.
/// </summary>
internal sealed class PgArchiveVerifier
{
    /// <summary>Value of <see cref="BackupManifest.Format"/> for the archives checked here (<c>pg_dump --format=custom</c>).</summary>
    public const string ArchiveFormat = "custom";

    private readonly PgTools _tools;

    /// <summary>Creates the verifier; <c>pg_restore</c> is found with <paramref name="tools"/>.</summary>
    /// <param name="tools">Where <c>pg_restore</c> is found.</param>
    public PgArchiveVerifier(PgTools tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
    }

    /// <summary>
    /// Checks, in this order: the archive exists; its size in bytes and its SHA-256 match the sidecar (for a directory
    /// archive, the sum of its files' sizes and <see cref="BackupHasher.ComputeFolderSha256Async"/>);
    /// the format is <c>custom</c> or <c>directory</c>; <c>pg_restore --file=/dev/null</c> reads the whole archive, every data block
    /// included (exit code 0). An archive cut short passes <c>pg_restore --list</c> but fails here.
    /// Needs no server connection. Uses the newest <c>pg_restore</c> found, which reads archives of its
    /// own and older versions.
    /// </summary>
    /// <param name="backup">The archive and its sidecar.</param>
    /// <exception cref="BackupException">A check failed (the message says which), or no <c>pg_restore</c> is found.</exception>
    public async Task VerifyAsync(BackupEntry backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        var pgRestore = await PgClientPrograms.NewestRestoreAsync(_tools, null).ConfigureAwait(false);
        await VerifyWithAsync(pgRestore, backup, wholeArchive: true).ConfigureAwait(false);
    }

    /// <summary>
    /// The checks of <see cref="VerifyAsync"/> with a given <c>pg_restore</c>; with <paramref name="wholeArchive"/> false
    /// only its table of contents is read (<c>pg_restore --list</c>): enough before a restore, as the size and SHA-256
    /// prove the archive is byte for byte the one fully read when it was written.
    /// </summary>
    internal async Task VerifyWithAsync(string pgRestore, BackupEntry backup, bool wholeArchive)
    {
        var path = backup.Path;
        var manifest = backup.Manifest;
        if (manifest.Format is not (ArchiveFormat or BackupStrategies.DirectoryFormat))
        {
            throw new BackupException(
                $"The backup '{path}' has format '{manifest.Format}' (strategy {BackupStrategies.ForFormat(manifest.Format)}); only pg_dump archives ('{ArchiveFormat}' files, '{BackupStrategies.DirectoryFormat}' folders) can be read and restored with pg_restore.");
        }
        var directory = manifest.Format == BackupStrategies.DirectoryFormat;
        long size;
        string sha256;
        try
        {
            if (directory ? !Directory.Exists(path) : !File.Exists(path))
            {
                throw new BackupException($"The backup archive '{path}' does not exist.");
            }
            (sha256, size) = directory
                ? await BackupHasher.ComputeFolderSha256Async(path).ConfigureAwait(false)
                : ("", new FileInfo(path).Length);
            if (size != manifest.SizeBytes)
            {
                throw new BackupException(
                    $"The backup archive '{path}' is damaged or was changed: it is {size} bytes, its sidecar says {manifest.SizeBytes} bytes.");
            }
            if (!directory)
            {
                sha256 = await BackupHasher.ComputeSha256Async(path).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new BackupException($"The backup archive '{path}' cannot be read: {ex.Message}", ex);
        }
        if (!string.Equals(sha256, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                $"The backup archive '{path}' is damaged or was changed: its SHA-256 is {sha256}, its sidecar says {manifest.Sha256}.");
        }
        if (wholeArchive)
        {
            await ReadWholeArchiveAsync(pgRestore, path, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            await ListArchiveAsync(pgRestore, path).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>pg_restore --file=/dev/null &lt;archive&gt;</c>: reads the table of contents and every data block (decompressing
    /// it) and writes the SQL script a restore would run to nowhere, without a server. A truncated or damaged archive
    /// fails here ("could not read input file: end of file", a zlib error), where <c>--list</c>, which reads only the
    /// table of contents, passes.
    /// </summary>
    /// <exception cref="BackupException">pg_restore could not read it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled (a backup being written was interrupted); pg_restore was killed.</exception>
    internal async Task ReadWholeArchiveAsync(string pgRestore, string archive, CancellationToken cancellationToken)
    {
        var nullDevice = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        var read = await _tools.RunAsync(pgRestore, ["--file=" + nullDevice, archive], null, cancellationToken).ConfigureAwait(false);
        if (!read.Succeeded)
        {
            throw new BackupException($"pg_restore cannot read the whole backup archive '{archive}' (it is truncated or damaged): {read.ErrorSummary}");
        }
    }

    private async Task ListArchiveAsync(string pgRestore, string archive)
    {
        var list = await _tools.RunAsync(pgRestore, ["--list", archive], null).ConfigureAwait(false);
        if (!list.Succeeded)
        {
            throw new BackupException($"pg_restore cannot read the backup archive '{archive}': {list.ErrorSummary}");
        }
    }
}
