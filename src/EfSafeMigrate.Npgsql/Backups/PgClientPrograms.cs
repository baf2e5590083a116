using EfSafeMigrate.Backups;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>The <c>pg_dump</c> and <c>pg_restore</c> chosen for one backup, and the server's version as it reports it.</summary>
/// <param name="PgDump">Full path of <c>pg_dump</c>.</param>
/// <param name="PgRestore">Full path of <c>pg_restore</c> (reads what that <c>pg_dump</c> writes).</param>
/// <param name="ServerVersion">The server's <c>server_version</c> setting, e.g. <c>17.2 (Debian 17.2-1)</c>.</param>
internal sealed record PgBackupPrograms(string PgDump, string PgRestore, string ServerVersion);

/// <summary>
/// Tool-version negotiation: which of the PostgreSQL client programs <see cref="PgTools"/> finds may be used.
/// <c>pg_dump</c> can dump servers of its own and older majors only, so a backup uses the first <c>pg_dump</c>
/// in search order whose major version is at least the server's (<c>server_version_num</c>), and a
/// <c>pg_restore</c> not older than it (from the same folder when there is one, else the first in search
/// order); reading an archive needs no server and uses the newest <c>pg_restore</c> found, which reads
/// archives of its own and older versions. Messages say which version to install and about <c>SAFE_MIGRATE_PG_BIN</c>.
/// </summary>
internal static class PgClientPrograms
{
    /// <summary>Reads the server's version and chooses <c>pg_dump</c> and <c>pg_restore</c> for a backup of <paramref name="connection"/>'s database.</summary>
    /// <param name="tools">Where the programs are found.</param>
    /// <param name="connection">The database to back up (an unpooled connection is opened to read the version).</param>
    /// <param name="cancellationToken">Stops the connection and the <c>--version</c> runs.</param>
    /// <exception cref="BackupException">A program is missing or too old, or the server cannot be reached.</exception>
    public static async Task<PgBackupPrograms> ForBackupAsync(PgTools tools, PgConnectionInfo connection, CancellationToken cancellationToken)
    {
        var dumps = tools.FindAll(PgTools.PgDump);
        if (dumps.Count == 0)
        {
            throw NotFound(tools, PgTools.PgDump, null, connection);
        }

        string serverVersionText;
        PgVersion server;
        await using (var open = await PgServerConnections.OpenAsync(connection, connection.Database, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await using var command = new NpgsqlCommand(
                    "SELECT current_setting('server_version'), current_setting('server_version_num')::int", open);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                serverVersionText = reader.GetString(0);
                server = PgVersion.FromServerVersionNum(reader.GetInt32(1));
            }
            catch (NpgsqlException ex)
            {
                throw new BackupException($"Cannot read the server version of {connection.Describe()}: {ex.Message}", ex);
            }
        }

        string? pgDump = null;
        PgVersion? dumpVersion = null;
        (string Path, PgVersion Version)? newestTooOld = null;
        foreach (var candidate in dumps)
        {
            var version = await tools.GetVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!version.IsOlderMajorThan(server))
            {
                pgDump = candidate;
                dumpVersion = version;
                break;
            }
            if (newestTooOld is null || newestTooOld.Value.Version.MajorKey < version.MajorKey)
            {
                newestTooOld = (candidate, version);
            }
        }
        if (pgDump is null || dumpVersion is null)
        {
            var (path, version) = newestTooOld!.Value;
            throw new BackupException(
                $"pg_dump {version.MajorLabel} cannot dump a PostgreSQL {server.MajorLabel} server ({connection.Describe()}; pg_dump found at '{path}'): " +
                $"pg_dump must be of the server's major version or newer. Install pg_dump {server.MajorLabel} or newer " +
                $"(the PostgreSQL {server.MajorLabel} client programs, e.g. the postgresql-client-{server.MajorLabel} package) " +
                $"and put it on PATH, or set {PgTools.BinFolderVariable} to the folder that contains it.");
        }

        var restores = tools.FindAll(PgTools.PgRestore);
        var sameFolder = restores.FirstOrDefault(r => string.Equals(Path.GetDirectoryName(r), Path.GetDirectoryName(pgDump), StringComparison.Ordinal));
        string? pgRestore = null;
        PgVersion? restoreVersion = null;
        var ordered = sameFolder is null ? restores : [sameFolder, .. restores.Where(r => r != sameFolder)];
        foreach (var candidate in ordered)
        {
            var version = await tools.GetVersionAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (!version.IsOlderMajorThan(dumpVersion))
            {
                pgRestore = candidate;
                break;
            }
            restoreVersion ??= version;
        }
        if (pgRestore is null)
        {
            if (restoreVersion is null)
            {
                throw NotFound(tools, PgTools.PgRestore, server, connection);
            }
            throw new BackupException(
                $"pg_restore {restoreVersion.MajorLabel} cannot read archives written by pg_dump {dumpVersion.MajorLabel} ('{pgDump}'). " +
                $"Install pg_restore {dumpVersion.MajorLabel} or newer next to it, or set {PgTools.BinFolderVariable} to a folder that has both.");
        }
        return new PgBackupPrograms(pgDump, pgRestore, serverVersionText);
    }

    /// <summary>The newest <c>pg_restore</c> found (the first in search order when only one, or when no version can be read).</summary>
    /// <param name="tools">Where the programs are found.</param>
    /// <param name="connection">The database the archive is restored into, for the message when none is found; null when only reading an archive.</param>
    /// <exception cref="BackupException">No <c>pg_restore</c> is found.</exception>
    public static async Task<string> NewestRestoreAsync(PgTools tools, PgConnectionInfo? connection)
    {
        var restores = tools.FindAll(PgTools.PgRestore);
        if (restores.Count == 0)
        {
            throw NotFound(tools, PgTools.PgRestore, null, connection);
        }
        if (restores.Count == 1)
        {
            return restores[0];
        }
        var best = restores[0];
        PgVersion? bestVersion = null;
        foreach (var candidate in restores)
        {
            PgVersion version;
            try
            {
                version = await tools.GetVersionAsync(candidate).ConfigureAwait(false);
            }
            catch (BackupException)
            {
                continue;
            }
            if (bestVersion is null || bestVersion.MajorKey < version.MajorKey)
            {
                (best, bestVersion) = (candidate, version);
            }
        }
        return best;
    }

    private static BackupException NotFound(PgTools tools, string program, PgVersion? server, PgConnectionInfo? connection)
    {
        var which = server is null ? "" : $" {server.MajorLabel} or newer";
        var purpose = connection is null ? "to read backup archives" : $"to back up {connection.Describe()}";
        return new BackupException(
            $"{program} was not found {tools.DescribeSearch()}. It is needed {purpose}. " +
            $"Install the PostgreSQL client programs{which} (Debian/Ubuntu: apt-get install postgresql-client; " +
            $"macOS: brew install libpq; Windows: the PostgreSQL installer), or set {PgTools.BinFolderVariable} " +
            $"to the folder that contains {program}.");
    }
}
