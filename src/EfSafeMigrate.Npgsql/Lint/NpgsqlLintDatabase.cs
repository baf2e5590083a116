using System.Data;
using EfSafeMigrate.Lint;
using Npgsql;

namespace EfSafeMigrate.Npgsql.Lint;

/// <summary>
/// Table sizes and narrowing counts for lint, from PostgreSQL's catalog: estimated rows from
/// <c>pg_class.reltuples</c> (the planner's estimate, refreshed by <c>ANALYZE</c>/autovacuum; <c>-1</c>
/// for a table never analyzed on PostgreSQL 14+), bytes from <c>pg_total_relation_size</c> (heap,
/// indexes and TOAST). The table is resolved as PostgreSQL resolves the migration's SQL: a name
/// without schema through the connection's <c>search_path</c> (<c>to_regclass</c>). Counts are bounded
/// with <c>LIMIT</c>, so they read at most that many matching rows. Runs on the connection given
/// (opened here when closed, and left as found). Not thread-safe.
/// <para>
/// <c>pg_total_relation_size</c> and the counts take an <c>ACCESS SHARE</c> lock on the table, which waits behind
/// an <c>ACCESS EXCLUSIVE</c> lock held or requested by another session. So that lint never queues behind such a
/// session (and never holds up the queries queued behind it), every probe runs in a transaction with
/// <c>SET LOCAL lock_timeout</c> of <see cref="ProbeLockTimeoutMilliseconds"/>; a probe that fails with
/// <c>55P03</c> (lock_not_available) falls back to the catalog's lock-free estimates (<c>pg_class.reltuples</c>,
/// <c>relpages</c> × <c>block_size</c>), or reports the size as unmeasured when the table was never analyzed.
/// </para>
/// </summary>
internal sealed class NpgsqlLintDatabase : ILintDatabase
{
    private readonly NpgsqlConnection _connection;
    private readonly string _description;
    private readonly Dictionary<TableRef, string?> _names = [];

    /// <summary>The <c>lock_timeout</c> of each probe, in milliseconds.</summary>
    public const int ProbeLockTimeoutMilliseconds = 1000;

    /// <summary>Creates the reader.</summary>
    /// <param name="connection">A connection to the database to measure.</param>
    /// <param name="description">The database for messages (never with a password).</param>
    public NpgsqlLintDatabase(NpgsqlConnection connection, string description)
    {
        _connection = connection;
        _description = description;
    }

    /// <inheritdoc />
    public string Describe() => _description;

    /// <inheritdoc />
    public TableSize GetTableSize(TableRef table, long countUpTo)
    {
        return Use(() =>
        {
            if (Resolve(table) is not { } name)
            {
                return TableSize.Missing;
            }

            // Lock-free: the catalog's estimates.
            long rows, bytes;
            using (var command = new NpgsqlCommand("SELECT c.reltuples::bigint, c.relpages::bigint * current_setting('block_size')::bigint FROM pg_class c WHERE c.oid = $1::regclass", _connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = name });
                using var reader = command.ExecuteReader();
                reader.Read();
                rows = reader.GetInt64(0);
                bytes = reader.GetInt64(1);
            }

            try
            {
                using (var command = new NpgsqlCommand("SELECT pg_total_relation_size($1::regclass)", _connection))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = name });
                    bytes = (long)ProbeScalar(command)!;
                }

                if (rows < countUpTo)
                {
                    // A never-analyzed (-1) or stale estimate under the threshold: count, reading at most countUpTo + 1 rows.
                    using var count = new NpgsqlCommand($"SELECT count(*) FROM (SELECT 1 FROM {name} LIMIT $1) AS s", _connection);
                    count.Parameters.Add(new NpgsqlParameter { Value = countUpTo + 1 });
                    rows = Math.Max(rows, (long)ProbeScalar(count)!);
                }
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                var locked = $"{table} is locked by another session (reading its size waited over {ProbeLockTimeoutMilliseconds} ms)";
                return rows < 0
                    ? new TableSize(true, 0, bytes, $"{locked} and was never analyzed, so its size is unknown")
                    : new TableSize(true, rows, bytes, rows < countUpTo ? $"{locked}; the catalog estimates ~{rows:N0} rows, too few to trust without a count" : null);
            }

            return new TableSize(true, Math.Max(rows, 0), bytes);
        });
    }

    /// <inheritdoc />
    public long? CountViolations(TableRef table, string column, NarrowingCheck check, int? maxLength, long limit)
    {
        return Use<long?>(() =>
        {
            if (Resolve(table) is not { } name || !HasColumn(name, column))
            {
                return null;
            }

            var quoted = "\"" + column.Replace("\"", "\"\"") + "\"";
            var condition = check switch
            {
                NarrowingCheck.Nulls => $"{quoted} IS NULL",
                NarrowingCheck.Values => $"{quoted} IS NOT NULL",
                _ => $"char_length({quoted}::text) > {maxLength ?? int.MaxValue}",
            };
            using var command = new NpgsqlCommand($"SELECT count(*) FROM (SELECT 1 FROM {name} WHERE {condition} LIMIT $1) AS s", _connection);
            command.Parameters.Add(new NpgsqlParameter { Value = limit });
            try
            {
                return (long)ProbeScalar(command)!;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                return null; // locked by another session: unknown, as for a missing column
            }
        });
    }

    // Runs a command that locks the table in its own transaction with a short lock_timeout (see the class remarks).
    private object? ProbeScalar(NpgsqlCommand command)
    {
        using var transaction = _connection.BeginTransaction();
        using (var set = new NpgsqlCommand($"SET LOCAL lock_timeout = {ProbeLockTimeoutMilliseconds}", _connection, transaction))
        {
            set.ExecuteNonQuery();
        }

        command.Transaction = transaction;
        var value = command.ExecuteScalar();
        transaction.Commit();
        return value;
    }

    private bool HasColumn(string regclass, string column)
    {
        using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2 AND attnum > 0 AND NOT attisdropped)", _connection);
        command.Parameters.Add(new NpgsqlParameter { Value = regclass });
        command.Parameters.Add(new NpgsqlParameter { Value = column });
        return (bool)command.ExecuteScalar()!;
    }

    // The table's regclass text (quoted as PostgreSQL quotes it, safe to embed in SQL), or null when it does not exist.
    private string? Resolve(TableRef table)
    {
        if (_names.TryGetValue(table, out var known))
        {
            return known;
        }

        using var command = new NpgsqlCommand(
            table.Schema is null ? "SELECT to_regclass(format('%I', $1::text))::text" : "SELECT to_regclass(format('%I.%I', $2::text, $1::text))::text", _connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
        if (table.Schema is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = table.Schema });
        }

        var name = command.ExecuteScalar() as string;
        _names[table] = name;
        return name;
    }

    private T Use<T>(Func<T> body)
    {
        var opened = false;
        if (_connection.State != ConnectionState.Open)
        {
            _connection.Open();
            opened = true;
        }

        try
        {
            return body();
        }
        finally
        {
            if (opened)
            {
                _connection.Close();
            }
        }
    }
}
