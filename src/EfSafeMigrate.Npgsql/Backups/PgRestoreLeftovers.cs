using System.Text;
using System.Text.RegularExpressions;
using EfSafeMigrate.Backups;
using EfSafeMigrate.Npgsql.Locking;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>What a leftover database of a restore is.</summary>
internal enum RestoreLeftoverKind
{
    /// <summary><c>&lt;db&gt;_restore_&lt;8 hex&gt;</c>: the database a restore was restoring into; the restore stopped (or is running) before the swap, so <c>&lt;db&gt;</c> was not changed.</summary>
    Restore,

    /// <summary><c>&lt;db&gt;_old_&lt;8 hex&gt;</c>: the database as it was before a restore that completed; the restore stopped before it could drop it.</summary>
    Old,
}

/// <summary>A database left behind by an interrupted restore of another database.</summary>
/// <param name="Name">The leftover's name.</param>
/// <param name="Kind">Which step left it.</param>
/// <param name="Sessions">Sessions connected to it now (a running restore has some on its <c>_restore_</c> database).</param>
internal sealed record RestoreLeftover(string Name, RestoreLeftoverKind Kind, long Sessions);

/// <summary>The leftovers of one database and whether the database itself exists.</summary>
/// <param name="Database">The database the leftovers belong to.</param>
/// <param name="DatabaseExists">Whether a database of that name exists.</param>
/// <param name="Leftovers">Its <c>_restore_</c> and <c>_old_</c> databases, by name.</param>
internal sealed record RestoreLeftoverScan(string Database, bool DatabaseExists, IReadOnlyList<RestoreLeftover> Leftovers)
{
    /// <summary>
    /// True when there is nothing to report: no leftovers. A missing database without leftovers is one not created yet
    /// (<c>apply</c> creates it), not the trace of a restore.
    /// </summary>
    public bool IsClean => Leftovers.Count == 0;
}

/// <summary>
/// Finds, explains and removes the databases a restore over a database leaves when it is stopped part-way
/// (<c>&lt;db&gt;_restore_&lt;8 hex&gt;</c>, <c>&lt;db&gt;_old_&lt;8 hex&gt;</c>; see <see cref="PgDumpBackupProvider.ReplaceAsync"/>),
/// and the database missing under its name, which only versions before the atomic swap could leave
/// (the original renamed to <c>_old_</c> with connections disabled).
/// </summary>
/// <remarks>
/// Names are matched on <c>pg_database</c> (any database of the server can read it): <c>&lt;base&gt;_restore_</c> or
/// <c>_old_</c> and 8 lower-case hex digits, where the base is the database's name, or its beginning when the
/// name was cut to PostgreSQL's 63 bytes.
/// </remarks>
internal sealed class PgRestoreLeftovers
{
    private static readonly Regex DerivedName = new("^(?<base>.*)_(?<tag>restore|old)_[0-9a-f]{8}$", RegexOptions.CultureInvariant);

    private readonly PgConnectionInfo _connection;

    /// <summary>Creates the finder for the database of <paramref name="connectionString"/>.</summary>
    /// <exception cref="ArgumentException">The connection string is malformed or has no host.</exception>
    public PgRestoreLeftovers(string connectionString)
    {
        _connection = new PgConnectionInfo(connectionString);
    }

    /// <summary>The database whose leftovers are looked for.</summary>
    public string Database => _connection.Database;

    /// <summary>Whether <paramref name="candidate"/> is a <c>_restore_</c> or <c>_old_</c> database of <paramref name="database"/>.</summary>
    public static bool IsLeftoverOf(string candidate, string database, out RestoreLeftoverKind kind)
    {
        kind = default;
        var match = DerivedName.Match(candidate);
        if (!match.Success)
        {
            return false;
        }
        var prefix = match.Groups["base"].Value;
        var cut = database.StartsWith(prefix, StringComparison.Ordinal)
            && Encoding.UTF8.GetByteCount(database) + Encoding.UTF8.GetByteCount(candidate[prefix.Length..]) > PgSql.MaxIdentifierBytes;
        if (prefix != database && !cut)
        {
            return false;
        }
        kind = match.Groups["tag"].Value == "restore" ? RestoreLeftoverKind.Restore : RestoreLeftoverKind.Old;
        return true;
    }

    /// <summary>Reads <c>pg_database</c> (connecting to the database, else to <c>postgres</c>, else <c>template1</c>).</summary>
    /// <exception cref="NpgsqlException">No database of the server could be reached.</exception>
    public async Task<RestoreLeftoverScan> FindAsync()
    {
        await using var connection = await OpenAnyAsync().ConfigureAwait(false);
        return await FindAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads <c>pg_database</c> from the maintenance database (<c>postgres</c>, else <c>template1</c>), for when the database
    /// itself is known to be missing or closed to this user.
    /// </summary>
    /// <exception cref="NpgsqlException">No maintenance database could be reached.</exception>
    public async Task<RestoreLeftoverScan> FindOnMaintenanceDatabaseAsync()
    {
        await using var connection = await OpenAdminAsync().ConfigureAwait(false);
        return await FindAsync(connection).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads <c>pg_database</c> on an open connection to any database of the server (<c>pg_database</c> and
    /// <c>pg_stat_activity</c> are shared catalogs), e.g. the application's own: no session of its own.
    /// </summary>
    /// <exception cref="NpgsqlException">The query failed.</exception>
    public async Task<RestoreLeftoverScan> FindAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT d.datname::text, (SELECT count(*) FROM pg_stat_activity a WHERE a.datname = d.datname AND a.pid <> pg_backend_pid()) FROM pg_database d ORDER BY 1",
            connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var exists = false;
        var leftovers = new List<RestoreLeftover>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            var name = reader.GetString(0);
            if (name == Database)
            {
                exists = true;
            }
            else if (IsLeftoverOf(name, Database, out var kind))
            {
                leftovers.Add(new RestoreLeftover(name, kind, reader.GetInt64(1)));
            }
        }
        return new RestoreLeftoverScan(Database, exists, leftovers);
    }

    /// <summary>
    /// The message for a scan that is not clean: each leftover, what it means, and the command that finishes or undoes
    /// the restore. Empty for a clean scan.
    /// </summary>
    public static IReadOnlyList<string> Describe(RestoreLeftoverScan scan, string cleanupCommand)
    {
        var lines = new List<string>();
        if (scan.IsClean)
        {
            return lines;
        }
        var olds = scan.Leftovers.Where(l => l.Kind == RestoreLeftoverKind.Old).ToList();
        if (!scan.DatabaseExists && scan.Leftovers.Count > 0)
        {
            lines.Add($"Database \"{scan.Database}\" does not exist, but a restore over it left {string.Join(", ", scan.Leftovers.Select(l => $"\"{l.Name}\""))}: " +
                "the restore was stopped while it swapped the databases (by a safe-migrate version without the atomic swap).");
            if (olds.Count == 1)
            {
                lines.Add($"\"{olds[0].Name}\" is the database as it was before that restore. To undo the restore (put it back under its name and drop the rest): {cleanupCommand}");
                lines.Add($"  (or by hand: ALTER DATABASE {PgSql.QuoteIdentifier(olds[0].Name)} RENAME TO {PgSql.QuoteIdentifier(scan.Database)}; ALTER DATABASE {PgSql.QuoteIdentifier(scan.Database)} ALLOW_CONNECTIONS true;)");
            }
            else
            {
                lines.Add("Rename the right one back by hand (ALTER DATABASE ... RENAME TO ...; ALTER DATABASE ... ALLOW_CONNECTIONS true), then run: " + cleanupCommand);
            }
            lines.Add("Do not apply migrations before that: they would run on a new, empty database.");
            return lines;
        }
        foreach (var leftover in scan.Leftovers)
        {
            lines.Add(leftover.Kind == RestoreLeftoverKind.Restore
                ? $"Database \"{leftover.Name}\" is left from a restore over \"{scan.Database}\" that did not finish{(leftover.Sessions > 0 ? " (or is running now: it has sessions)" : "")}; \"{scan.Database}\" was not changed by it. " +
                  $"Drop it with: {cleanupCommand} (then run the restore again if it is still wanted)."
                : $"Database \"{leftover.Name}\" is the copy of \"{scan.Database}\" from before a restore that completed; the restore was stopped before it could drop it. " +
                  $"Drop it with: {cleanupCommand} (to undo the restore instead, restore the backup taken before it: 'dotnet safe-migrate backup list').");
        }
        return lines;
    }

    /// <summary>
    /// Finishes what an interrupted restore left, under the migration lock of the database (so no restore or apply runs
    /// meanwhile): when the database is missing and exactly one <c>_old_</c> copy exists, that copy is renamed back and
    /// accepts connections again (the restore is undone); then every leftover without sessions is dropped.
    /// </summary>
    /// <param name="lockTimeout">How long to wait for the migration lock.</param>
    /// <param name="onWaiting">Called once when the lock is held by another session.</param>
    /// <returns>What was done, one line per database, in order.</returns>
    /// <exception cref="BackupException">The database is missing and no single <c>_old_</c> copy can be put back; nothing was changed.</exception>
    /// <exception cref="EfSafeMigrate.Locking.MigrationLockTimeoutException">The lock was not free in time; nothing was changed.</exception>
    /// <exception cref="NpgsqlException">The server could not be reached or a statement failed.</exception>
    public async Task<IReadOnlyList<string>> CleanUpAsync(TimeSpan lockTimeout, Action<string> onWaiting)
    {
        var done = new List<string>();
        await using var admin = await OpenAdminAsync().ConfigureAwait(false);
        var scan = await FindAsync(admin).ConfigureAwait(false);
        if (!scan.DatabaseExists)
        {
            var olds = scan.Leftovers.Where(l => l.Kind == RestoreLeftoverKind.Old).ToList();
            if (olds.Count != 1)
            {
                throw new BackupException(
                    $"Database \"{Database}\" does not exist and {(olds.Count == 0 ? "no" : olds.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))} copy from before a restore (\"{Database}_old_...\") does; " +
                    "there is nothing this command can safely put back. Rename the right database back by hand (ALTER DATABASE ... RENAME TO ...; ALTER DATABASE ... ALLOW_CONNECTIONS true).");
            }
            await PgDatabaseSwap.TerminateSessionsAsync(admin, [olds[0].Name]).ConfigureAwait(false);
            await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(olds[0].Name)} RENAME TO {PgSql.QuoteIdentifier(Database)}").ConfigureAwait(false);
            await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(Database)} ALLOW_CONNECTIONS true").ConfigureAwait(false);
            done.Add($"Renamed \"{olds[0].Name}\" back to \"{Database}\" (the interrupted restore is undone).");
        }

        await using var lockConnection = new NpgsqlConnection(_connection.ConnectionStringFor(Database, pooling: false));
        await lockConnection.OpenAsync().ConfigureAwait(false);
        await using (await new PgAdvisoryLock(lockConnection).AcquireAsync(lockTimeout, onWaiting).ConfigureAwait(false))
        {
            scan = await FindAsync(admin).ConfigureAwait(false);
            foreach (var leftover in scan.Leftovers)
            {
                if (leftover.Sessions > 0)
                {
                    done.Add($"Kept \"{leftover.Name}\": {leftover.Sessions} session(s) are connected to it.");
                    continue;
                }
                try
                {
                    await PgSql.ExecuteAsync(admin, $"DROP DATABASE {PgSql.QuoteIdentifier(leftover.Name)}").ConfigureAwait(false);
                    done.Add($"Dropped \"{leftover.Name}\".");
                }
                catch (PostgresException ex) when (ex.SqlState is "55006" or "3D000")
                {
                    done.Add($"Kept \"{leftover.Name}\": {ex.MessageText}.");
                }
            }
        }
        return done;
    }

    private async Task<NpgsqlConnection> OpenAnyAsync()
    {
        try
        {
            return await OpenAsync(Database).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState is "3D000" or "55000" or "42501")
        {
            return await OpenAdminAsync().ConfigureAwait(false);
        }
    }

    private async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var candidates = new[] { "postgres", "template1" }.Where(d => d != Database).ToList();
        for (var i = 0; ; i++)
        {
            try
            {
                return await OpenAsync(candidates[i]).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == "3D000" && i + 1 < candidates.Count)
            {
                // No "postgres" database: use template1.
            }
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(string database)
    {
        var connection = new NpgsqlConnection(_connection.ConnectionStringFor(database, pooling: false));
        try
        {
            await connection.OpenAsync().ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
