using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Backups;

/// <summary>
/// When <c>pg_dump --lock-wait-timeout</c> gives up: which table it could not lock (from its error output) and who holds
/// locks on it (<c>pg_locks</c> joined with <c>pg_stat_activity</c>).
/// </summary>
internal static class PgLockHolders
{
    // pg_dump sets statement_timeout for its LOCK TABLE statements (PostgreSQL 15's pg_dump prints):
    // pg_dump: error: query failed: ERROR:  canceling statement due to statement timeout
    // pg_dump: detail: Query was: LOCK TABLE public.t IN ACCESS SHARE MODE
    private static readonly Regex LockTable = new(@"LOCK TABLE (?<table>.+?) IN ACCESS SHARE MODE", RegexOptions.CultureInvariant);

    /// <summary>The table (as pg_dump quoted it, <c>schema.table</c>) when pg_dump failed on its lock timeout; <c>null</c> otherwise.</summary>
    public static string? LockedTable(string pgDumpError)
    {
        if (!pgDumpError.Contains("canceling statement due to", StringComparison.Ordinal) || !pgDumpError.Contains("timeout", StringComparison.Ordinal))
        {
            return null;
        }
        var match = LockTable.Match(pgDumpError);
        return match.Success ? match.Groups["table"].Value.Trim() : null;
    }

    /// <summary>
    /// The sessions holding granted locks on <paramref name="table"/>: pid, user, application, state, lock mode, how long
    /// their transaction has run, the start of their query, and the SQL that would end them (never run here).
    /// Best effort: a failure to look returns a sentence saying so.
    /// </summary>
    public static async Task<string> DescribeAsync(PgConnectionInfo connection, string table, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.pid, coalesce(a.usename::text, '?'), coalesce(nullif(a.application_name, ''), 'unknown application'),
                   coalesce(a.state, '?'), l.mode, coalesce(extract(epoch FROM now() - coalesce(a.xact_start, a.query_start))::bigint, 0),
                   left(regexp_replace(coalesce(a.query, ''), '\s+', ' ', 'g'), 120)
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'relation' AND l.granted AND l.relation = to_regclass($1) AND a.pid <> pg_backend_pid()
            ORDER BY a.xact_start NULLS LAST
            """;
        try
        {
            await using var db = new NpgsqlConnection(connection.ConnectionStringFor(connection.Database, pooling: false));
            await db.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, db);
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var sessions = new List<string>();
            var pids = new List<int>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                pids.Add(reader.GetInt32(0));
                sessions.Add(string.Format(CultureInfo.InvariantCulture,
                    "server process {0} (user \"{1}\", {2}, {3}, holding {4} for {5} s, query: {6})",
                    reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetInt64(5), reader.GetString(6)));
            }
            if (sessions.Count == 0)
            {
                return "a session that has ended since";
            }
            var text = new StringBuilder(string.Join("; ", sessions));
            text.Append(". To end ").Append(pids.Count == 1 ? "it" : "them").Append(": SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[")
                .Append(string.Join(", ", pids)).Append("]) AS pid;");
            return text.ToString();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return $"another session (who could not be looked up: {ex.Message})";
        }
    }
}
