using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// Puts a restored database in the place of the original in one transaction:
/// <c>BEGIN; ALTER DATABASE original RENAME TO old; ALTER DATABASE replacement RENAME TO original; COMMIT</c>.
/// </summary>
/// <remarks>
/// <para>
/// PostgreSQL allows <c>ALTER DATABASE ... RENAME</c> inside a transaction block (unlike CREATE and DROP
/// DATABASE): it only updates the database's <c>pg_database</c> row, so both renames become visible together
/// at COMMIT or not at all. A process killed at any moment therefore leaves the original under its name
/// (before COMMIT: the server rolls the open transaction back when the connection goes) or the replacement
/// under it (after COMMIT), never neither. What a kill can leave is the other database, under its
/// <c>_restore_</c> or <c>_old_</c> name (see <see cref="PgRestoreLeftovers"/>).
/// </para>
/// <para>
/// A rename needs the database to have no other sessions (else SQLSTATE 55006, after PostgreSQL itself has
/// waited up to 5 s for them to exit), so the sessions on both databases are ended with
/// <c>pg_terminate_backend</c> right before the transaction (superuser, the sessions' own role, or
/// <c>pg_signal_backend</c>), and the whole attempt is repeated while sessions come back, up to the timeout.
/// Once the first rename has run, the transaction holds the database's lock: a new connection to either name
/// waits for COMMIT and then connects to whatever carries the name (or fails if it asked for the old one).
/// Connections are never disabled (<c>ALLOW_CONNECTIONS false</c>), so nothing has to be switched back on
/// after a kill.
/// </para>
/// </remarks>
internal static class PgDatabaseSwap
{
    private const string ObjectInUse = "55006";

    /// <summary>
    /// Renames <paramref name="original"/> to <paramref name="old"/> and <paramref name="replacement"/> to
    /// <paramref name="original"/>, atomically, on <paramref name="admin"/> (a connection to another database).
    /// </summary>
    /// <param name="admin">Open connection to a maintenance database (neither of the two).</param>
    /// <param name="original">The name that must always exist.</param>
    /// <param name="replacement">The restored database.</param>
    /// <param name="old">The free name the original gets.</param>
    /// <param name="timeout">How long to keep ending sessions and retrying while sessions linger.</param>
    /// <exception cref="PostgresException">A rename failed for another reason than sessions, or sessions lingered past the timeout.</exception>
    public static async Task SwapAsync(
        NpgsqlConnection admin, string original, string replacement, string old, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await TerminateSessionsAsync(admin, [original, replacement]).ConfigureAwait(false);
            await using var transaction = await admin.BeginTransactionAsync().ConfigureAwait(false);
            try
            {
                await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(original)} RENAME TO {PgSql.QuoteIdentifier(old)}").ConfigureAwait(false);
                await PgSql.ExecuteAsync(admin, $"ALTER DATABASE {PgSql.QuoteIdentifier(replacement)} RENAME TO {PgSql.QuoteIdentifier(original)}").ConfigureAwait(false);
                await transaction.CommitAsync().ConfigureAwait(false);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == ObjectInUse && DateTime.UtcNow < deadline)
            {
                await transaction.RollbackAsync().ConfigureAwait(false);
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Ends every other session connected to one of <paramref name="databases"/>.</summary>
    public static async Task TerminateSessionsAsync(NpgsqlConnection admin, IReadOnlyList<string> databases)
    {
        await using var terminate = new NpgsqlCommand(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()", admin);
        terminate.Parameters.Add(new NpgsqlParameter { Value = databases.ToArray() });
        await terminate.ExecuteScalarAsync().ConfigureAwait(false);
    }
}
